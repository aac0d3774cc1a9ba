package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Presence;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tab that closes says so: the library sends {@code POST /leave} as a beacon on
 * {@code pagehide} (which Chromium fires when a page is closed, too), and the relay reports the
 * address offline at once instead of after {@code --online-grace} (15 s here, on real time). On
 * every transport, alone and through the shared hub (a leader's tab, and a follower's); a reload
 * keeps the address and ends online. The times are printed for the closing note.
 */
@Timeout(90)
class LeaveTest {

  /** Loose: what is measured is well under a second, but machines are noisy. */
  private static final long OFFLINE_WITHIN_MILLIS = 3_000;

  @RegisterExtension static final BrowserHarness browser = new BrowserHarness();

  @ParameterizedTest
  @CsvSource({"websocket,false", "sse,false", "longpoll,false", "jsonp,false",
      "websocket,true", "sse,true", "longpoll,true", "jsonp,true"})
  void aClosedTabIsOfflineWithinSecondsAndAReloadedOneKeepsItsAddressOnline(String transport, boolean shared) {
    RelayClient http = browser.relay().client();
    Tab tab = browser.open("receiver.html?transports=" + transport + "&shared=" + shared);
    String address = tab.address();
    tab.awaitOpen();
    assertTrue(online(http, address), "an open tab is online");

    tab.page().reload(new Page.ReloadOptions().setTimeout(Tab.TIMEOUT_MS));
    assertEquals(address, tab.address(), "the reloaded tab keeps its address");
    tab.awaitOpen();
    Await.until("the reloaded tab online", Duration.ofSeconds(5), () -> online(http, address));
    browser.push(address, "after the reload");
    assertEquals(List.of("after the reload"), tab.awaitData(1));
    // The unloaded page's leave beacon may land after the reloaded page's first polls: for the
    // second after it (Channel.LEAVE_SETTLE_MILLIS) the channel is online only while a poll holds
    // it, so a check between an answer and the next poll may see it offline. It ends online.
    Await.until("the reloaded tab ends online", Duration.ofSeconds(5), () -> online(http, address));

    long closing = System.nanoTime();
    tab.page().close(new Page.CloseOptions().setRunBeforeUnload(false));
    awaitOffline("the closed tab", http, address);
    long millis = (System.nanoTime() - closing) / 1_000_000;
    System.out.printf("leave, %s%s: offline %d ms after page.close()%n", transport, shared ? " (shared hub)" : "",
        millis);
    assertTrue(millis < OFFLINE_WITHIN_MILLIS, "offline within " + OFFLINE_WITHIN_MILLIS + " ms: " + millis + " ms");
  }

  /** Two tabs of one browser share the leader's connection: the follower's leave must not wait for the hub. */
  @ParameterizedTest
  @ValueSource(strings = {"websocket", "sse", "longpoll", "jsonp"})
  void aClosedFollowerIsOfflineWithinSecondsAndItsLeaderStaysOnline(String transport) {
    RelayClient http = browser.relay().client();
    BrowserContext profile = browser.newContext();
    String page = browser.pagesA().url("receiver.html?transports=" + transport);
    Tab first = browser.newTab(profile).open(page).awaitOpen();
    Tab second = browser.newTab(profile).open(page).awaitOpen();
    Tab follower = "follower".equals(first.page().evaluate("() => server.mode")) ? first : second;
    Tab leader = follower == first ? second : first;
    assertEquals("leader", leader.page().evaluate("() => server.mode"));
    String address = follower.address();

    long closing = System.nanoTime();
    follower.page().close(new Page.CloseOptions().setRunBeforeUnload(false));
    awaitOffline("the closed follower", http, address);
    long millis = (System.nanoTime() - closing) / 1_000_000;
    System.out.printf("leave, %s, a follower of two tabs: offline %d ms after page.close()%n", transport, millis);
    assertTrue(millis < OFFLINE_WITHIN_MILLIS, "offline within " + OFFLINE_WITHIN_MILLIS + " ms: " + millis + " ms");
    assertTrue(online(http, leader.address()), "the leader is still there");
  }

  /** Waits until the address is offline; a failure says whether the relay still holds a receiver there. */
  private static void awaitOffline(String what, RelayClient http, String address) {
    try {
      Await.until(what + " offline", Duration.ofSeconds(10), () -> !online(http, address));
    } catch (AssertionError e) {
      String[] path = URI.create(address).getPath().split("/"); // "", "m", client, channel
      ChannelId channel = new ChannelId(path[2], path[3]);
      Presence presence = browser.relay().relay().store().status(channel).toCompletableFuture().join();
      long seenAgo = presence.lastSeen() == null ? -1 : browser.relay().clock().getAsLong() - presence.lastSeen();
      throw new AssertionError(e.getMessage() + "; a receiver waits there: " + browser.relay().hasReceiver(path[2], path[3])
          + ", last seen " + seenAgo + " ms ago (0: held)", e);
    }
  }

  private static boolean online(RelayClient http, String address) {
    RelayClient.Answer status = http.get(address + "/status");
    assertEquals(200, status.status(), status.body());
    return status.json().get("online").asBoolean();
  }
}
