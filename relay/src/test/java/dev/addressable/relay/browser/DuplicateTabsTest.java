package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import dev.addressable.relay.testing.Await;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Duplicates in the default shared mode (scenario 11 of the shared connection): two tabs with the
 * same {@code window.name}, and a duplicated tab (window.name and sessionStorage copied, as
 * TabsTest emulates "Duplicate tab") of a tab too busy to answer. The second tab renames itself
 * before it connects, each tab gets only its own messages, each once, the copied cursor is not
 * reused, and the browser keeps one hub. (TabsTest covers a duplicate whose original answers.)
 */
@Timeout(120)
class DuplicateTabsTest {

  @RegisterExtension static final BrowserHarness browser = new BrowserHarness();

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "longpoll"})
  void twoTabsWithTheSameWindowNameGetAChannelEach(String transport) {
    BrowserContext profile = browser.newContext();
    profile.addInitScript("window.name = 'inbox7';"); // an app that names its windows
    Tab first = browser.newTab(profile).open(receiver(transport)).awaitOpen();
    assertTrue(first.address().endsWith("/inbox7"), "the first tab's channel is its window.name: " + first.address());

    Tab second = browser.newTab(profile);
    List<String> connects = connectsOf(second);
    second.open(receiver(transport)).awaitOpen();
    assertNotEquals(first.address(), second.address(), "the second tab renamed itself");
    String channel = channelOf(second);
    assertEquals(channel, second.page().evaluate("() => window.name"), "and wrote its new name, for its reloads");
    assertEquals(List.of(channel), connects, "it connected only as its new channel");

    assertOneHub(List.of(first, second));
    assertEachGetsOnlyItsOwn(first, second, List.of());
  }

  /**
   * An emulated "Duplicate tab" of a follower that cannot answer "who has this channel?" in time
   * (its page is busy with a long task) while its copy starts, with a message sent after the copy
   * was taken: a copy reading from the copied cursor would get it. Pausing the original in the
   * debugger would pause its copy too (tabs of one site may share a renderer process, here they
   * do), so the original holds what arrives on its BroadcastChannels until it is released, as the
   * library's node tests do with hold(). The channel's Web Lock, held by the browser for the
   * original, still says the channel is taken.
   */
  @ParameterizedTest
  @ValueSource(strings = {"websocket", "longpoll"})
  void aDuplicateOfABusyTabRenamesItselfAndDoesNotReuseTheCopiedCursor(String transport) {
    BrowserContext profile = browser.newContext();
    Tab leader = browser.newTab(profile).open(receiver(transport)).awaitOpen();
    Tab original = browser.newTab(profile);
    original.page().addInitScript(HOLD_BROADCASTS);
    original.open(receiver(transport)).awaitOpen();
    assertEquals("follower", original.page().evaluate("() => server.mode"));
    browser.push(original.address(), "before the copy");
    original.awaitData(1);
    String copied = copyOf(original);

    original.page().evaluate("() => { holdBroadcasts = true; }");
    browser.push(original.address(), "after the copy");
    Tab duplicate = duplicateOf(profile, copied);
    List<String> connects = connectsOf(duplicate);
    duplicate.open(receiver(transport)).awaitOpen();
    assertNotEquals(original.address(), duplicate.address(), "the duplicate renamed itself");
    assertEquals(List.of(channelOf(duplicate)), connects, "it never connected as the original's channel");
    assertNotEquals(copiedCursor(copied, original), duplicate.page().evaluate("() => server.cursor"),
        "the copied cursor is not reused");
    original.page().evaluate("() => releaseBroadcasts()");
    assertEquals(List.of("before the copy", "after the copy"), original.awaitData(2));

    assertOneHub(List.of(leader, original, duplicate));
    assertEachGetsOnlyItsOwn(original, duplicate, List.of("before the copy", "after the copy"));
    assertEquals(List.of("to both"), leader.awaitData(1), "the leader's own channel got only the client-wide one");
  }

  /**
   * An init script: BroadcastChannel handlers of the page are held while {@code holdBroadcasts}
   * is true, and run in order by {@code releaseBroadcasts()}.
   */
  private static final String HOLD_BROADCASTS = """
      (() => {
        const held = [];
        window.holdBroadcasts = false;
        window.releaseBroadcasts = () => { holdBroadcasts = false; held.splice(0).forEach(run => run()); };
        const Native = BroadcastChannel;
        window.BroadcastChannel = class extends Native {
          get onmessage() { return super.onmessage; }
          set onmessage(fn) { super.onmessage = fn && (e => holdBroadcasts ? held.push(() => fn(e)) : fn(e)); }
        };
      })()""";

  private static String receiver(String transport) {
    return browser.pagesA().url("receiver.html?transports=" + transport);
  }

  /**
   * Pushes to each tab, to the client address, then a last one to each, and checks each tab's
   * whole record: what it had (the second tab had nothing), its own message, the client-wide one
   * and its last, each once.
   */
  private static void assertEachGetsOnlyItsOwn(Tab one, Tab two, List<String> oneHad) {
    browser.push(one.address(), "to the first");
    browser.push(two.address(), "to the second");
    one.awaitData(oneHad.size() + 1);
    two.awaitData(1);
    browser.push(one.clientAddress(), "to both");
    browser.push(one.address(), "last to the first");
    browser.push(two.address(), "last to the second");
    assertEquals(concat(oneHad, "to the first", "to both", "last to the first"), one.awaitData(oneHad.size() + 3));
    assertEquals(List.of("to the second", "to both", "last to the second"), two.awaitData(3));
  }

  private static void assertOneHub(List<Tab> tabs) {
    List<Object> modes = tabs.stream().map(t -> t.page().evaluate("() => server.mode")).toList();
    assertEquals(1, modes.stream().filter("leader"::equals).count(), "one leader: " + modes);
    assertEquals(tabs.size() - 1, modes.stream().filter("follower"::equals).count(), "the rest follow: " + modes);
    Await.until("one hub at the relay", Duration.ofSeconds(10), () -> browser.metric("addressable_hubs_open") == 1);
  }

  /** window.name and sessionStorage of a tab, as "Duplicate tab" copies them (JSON). */
  private static String copyOf(Tab tab) {
    return (String) tab.page().evaluate("() => JSON.stringify({name: window.name,"
        + " session: Object.fromEntries(Object.keys(sessionStorage).map(k => [k, sessionStorage.getItem(k)]))})");
  }

  /** A new tab that starts with the copy's window.name and sessionStorage; not navigated yet. */
  private static Tab duplicateOf(BrowserContext profile, String copied) {
    Tab duplicate = browser.newTab(profile);
    duplicate.page().addInitScript("(() => { const copy = " + copied + ";"
        + " if (sessionStorage.getItem('duplicated')) return; sessionStorage.setItem('duplicated', '1');"
        + " window.name = copy.name;"
        + " for (const [k, v] of Object.entries(copy.session)) sessionStorage.setItem(k, v); })()");
    return duplicate;
  }

  /** The cursor the copy holds for the original's channel. */
  private static String copiedCursor(String copied, Tab original) {
    try {
      JsonNode session = JSON.readTree(copied).get("session");
      String key = "addressable.cursor@" + browser.relay().base() + "#" + channelOf(original);
      assertTrue(session.has(key), "the copy holds the original's cursor: " + copied);
      return JSON.readTree(session.get(key).asText()).get("cursor").asText();
    } catch (java.io.IOException e) {
      throw new AssertionError(copied, e);
    }
  }

  /** The channel of each /connect the tab sends, in order, recorded from now on. */
  private static List<String> connectsOf(Tab tab) {
    List<String> channels = new CopyOnWriteArrayList<>();
    tab.page().onRequest(r -> {
      if (r.url().startsWith(browser.relay().base() + "/connect") && r.postData() != null) {
        for (String field : r.postData().split("&")) {
          if (field.startsWith("channel=")) {
            channels.add(URLDecoder.decode(field.substring(8), StandardCharsets.UTF_8));
          }
        }
      }
    });
    return channels;
  }

  private static String channelOf(Tab tab) {
    String address = tab.address();
    return address.substring(address.lastIndexOf('/') + 1);
  }

  private static List<String> concat(List<String> had, String... more) {
    List<String> all = new ArrayList<>(had);
    all.addAll(List.of(more));
    return all;
  }
}
