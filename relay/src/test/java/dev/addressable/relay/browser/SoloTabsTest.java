package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import dev.addressable.relay.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tabs that cannot share a connection (no Web Locks, as on a plain http page) each receive alone,
 * and Chromium opens at most 6 connections to the relay: the relay's {@code --max-polls-per-client}
 * (4) keeps a seventh long-poll tab from stalling behind six parked polls, and moves a fifth SSE tab
 * to long-poll. Times are measured and printed; the bounds asserted are loose.
 */
@Timeout(60)
class SoloTabsTest {

  private static final int CAP = 4;

  @RegisterExtension static final BrowserHarness browser = new BrowserHarness();

  /** {@code count} tabs of one profile without Web Locks, receiving over {@code transports}. */
  private static List<Tab> soloTabs(int count, String transports) {
    BrowserContext profile = browser.newContext();
    profile.addInitScript("delete Navigator.prototype.locks;"); // production's plain http
    List<Tab> tabs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tabs.add(browser.newTab(profile).open(browser.pagesA().url("receiver.html?transports=" + transports)));
    }
    tabs.forEach(Tab::awaitOpen);
    tabs.forEach(t -> assertEquals("solo", t.page().evaluate("() => server.mode")));
    return tabs;
  }

  private static int held(Tab tab) {
    return browser.relay().relay().clientPolls().held((String) tab.page().evaluate("() => server.client"));
  }

  @Test
  void sevenSoloLongPollTabsAllConnectAndTheSeventhIsNeitherStalledNorDeaf() {
    List<Tab> tabs = soloTabs(7, "longpoll");
    Tab seventh = tabs.get(6);
    Await.value("the client's parked polls, at the cap", Duration.ofSeconds(10), () -> held(seventh), n -> n == CAP);

    // Six parked polls would leave this fetch waiting for one of them to come back (25 s); the
    // relay parks four, so the browser has connections to spare.
    double millis = ((Number) seventh.page().evaluate("async () => { const t0 = performance.now();"
        + " const answer = await fetch(server.relay + '/health'); await answer.text();"
        + " return performance.now() - t0; }")).doubleValue();
    browser.push(seventh.address(), "to the seventh");
    long pushed = System.nanoTime();
    assertEquals(List.of("to the seventh"), seventh.awaitData(1));
    double arrived = (System.nanoTime() - pushed) / 1e6;
    System.out.printf("7 solo long-poll tabs: the 7th tab's /health in %.0f ms; a push to it arrived in %.0f ms%n",
        millis, arrived);
    assertTrue(millis < 2000, "the 7th tab's fetch is not held behind parked polls: " + millis + " ms");
    browser.push(tabs.get(0).address(), "to the first");
    assertEquals(List.of("to the first"), tabs.get(0).awaitData(1));
    tabs.forEach(t -> assertEquals(List.of(), t.page().evaluate("() => errors"), "no errors in a tab"));
  }

  @Test
  void aFifthSoloSseTabIsRefusedItsStreamAndReceivesByLongPoll() {
    List<Tab> tabs = soloTabs(CAP + 1, "sse,longpoll");
    List<String> transports = tabs.stream().map(Tab::transport).toList();
    assertEquals(CAP, transports.stream().filter("sse"::equals).count(), "four streams: " + transports);
    Tab fifth = tabs.stream().filter(t -> "longpoll".equals(t.transport())).findFirst().orElseThrow();
    browser.push(fifth.address(), "to the fifth");
    assertEquals(List.of("to the fifth"), fifth.awaitData(1));
    assertEquals(List.of(), fifth.page().evaluate("() => errors"), "moving on is not an error");
    // What the library relies on: Chromium gives up on a refused stream (CLOSED, 2) before it opens.
    Object readyState = fifth.page().evaluate("() => new Promise(done => {"
        + " const es = new EventSource(server.relay + '/events?client=' + server.client + '&channel=' + server.channel"
        + " + '&key=' + encodeURIComponent(server._key));"
        + " es.onopen = () => { es.close(); done('opened'); };"
        + " es.onerror = () => { const state = es.readyState; es.close(); done(state); }; })");
    assertEquals(2, ((Number) readyState).intValue(), "a refused EventSource is closed for good: " + readyState);
  }
}
