package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.PlaywrightException;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.TestRelay;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Topics and online status as a page sees them, through server.subscribe() and server.status(). */
@Timeout(60)
class TopicsAndStatusTest {

  /** The grace a vanished tab stays online; the test passes it by moving the relay's clock on. */
  private static final Duration GRACE = Duration.ofSeconds(10);

  @RegisterExtension static final BrowserHarness browser =
      new BrowserHarness(c -> c.withPresence(c.presence().withGrace(GRACE)));

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void threeTabsSubscribedToOneTopicAllShowAPublish() throws Exception {
    JsonNode topic = JSON.readTree(browser.relay().client().post("/topics", null, null).body());
    String url = topic.get("url").asText();
    BrowserContext profile = browser.newContext();
    List<Tab> tabs = List.of(
        browser.newTab(profile).open(browser.pagesA().url("receiver.html")),
        browser.newTab(profile).open(browser.pagesA().url("receiver.html")),
        browser.newTab(profile).open(browser.pagesA().url("receiver.html")));
    for (Tab tab : tabs) {
      tab.awaitOpen();
      Object subscribed = tab.page().evaluate("([url, key]) => server.subscribe(url, key).then(a => a.subscribed)",
          List.of(url, topic.get("subscribeKey").asText()));
      assertEquals(Boolean.TRUE, subscribed);
    }
    Answer published = browser.push(url, "to every subscribed tab");
    assertEquals(3, JSON.readTree(published.body()).get("subscribers").asInt(), published.body());
    for (Tab tab : tabs) {
      assertEquals(List.of("to every subscribed tab"), tab.awaitData(1));
      assertEquals(topic.get("topic").asText(), tab.page().evaluate("() => window.lastMeta && window.lastMeta.topic"),
          "onmessage's meta names the topic");
    }
  }

  /**
   * A tab that closes says it leaves and is offline at once ({@link LeaveTest}); one that vanishes
   * without a word (its renderer crashed, its network went) stays online through the grace.
   */
  @Test
  void statusOfATabThatCrashedTurnsOfflineAfterTheGracePeriod() {
    TestRelay relay = browser.relay();
    long opened = relay.clock().getAsLong();
    Tab watched = browser.open("receiver.html");
    Tab watcher = browser.open("receiver.html");
    watched.awaitOpen();
    watcher.awaitOpen();
    String address = watched.address();
    assertEquals(Boolean.TRUE, status(watcher, address).get("online"), "an open tab is online");
    String[] path = URI.create(address).getPath().split("/"); // "", "m", client, channel

    crash(watched); // no pagehide, so no leave
    Await.until("the crashed tab's receiver gone from the relay", Duration.ofSeconds(10),
        () -> !relay.hasReceiver(path[2], path[3]));
    assertEquals(Boolean.TRUE, status(watcher, address).get("online"), "a tab just crashed is online within the grace");
    relay.clock().advance(GRACE.plusSeconds(1));
    Map<?, ?> now = status(watcher, address);
    assertEquals(Boolean.FALSE, now.get("online"), "offline once the grace is over: " + now);
    long lastSeen = ((Number) now.get("lastSeen")).longValue();
    assertTrue(lastSeen >= opened && lastSeen <= relay.clock().getAsLong() - GRACE.toMillis(),
        "last seen when the tab crashed: " + now + ", tabs opened at " + opened);
    watched.page().close(); // crashed: nothing to screenshot
  }

  /** Kills the tab's renderer, as a crash would: Chromium handles this debug URL before anything unloads. */
  private static void crash(Tab tab) {
    try {
      tab.page().navigate("chrome://crash");
    } catch (PlaywrightException expected) {
      // "Navigation failed because page crashed!"
    }
  }

  private static Map<?, ?> status(Tab tab, String address) {
    return (Map<?, ?>) tab.page().evaluate("(a) => server.status(a)", address);
  }
}
