package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Worker mode (issue 18): the site serves a SharedWorker of its own origin ({@code hub-worker.js},
 * given as {@code workerUrl}) and the hub runs there, so no tab leads and closing a tab needs no
 * hand-off. Playwright cannot see a SharedWorker's traffic: connections are counted at the relay.
 */
@Timeout(90)
class WorkerModeTest {

  /** Heartbeats every second, so a working hub is heard often; the stall limit is passed per page. */
  @RegisterExtension
  static final BrowserHarness browser = new BrowserHarness(c -> c.withPoll(c.poll().withHeartbeat(Duration.ofSeconds(1))));

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "longpoll"})
  void threeTabsShareTheWorkersConnectionWhichOutlivesTheTabThatStartedIt(String transport) {
    BrowserContext profile = browser.newContext();
    String page = browser.pagesA().url("receiver.html?worker=1&transports=" + transport);
    Tab creator = browser.newTab(profile).open(page).awaitOpen();
    Tab two = browser.newTab(profile).open(page).awaitOpen();
    Tab three = browser.newTab(profile).open(page).awaitOpen();
    for (Tab t : List.of(creator, two, three)) {
      assertEquals("worker", t.page().evaluate("() => server.mode"), t.describe());
    }
    Await.until("one hub at the relay", Duration.ofSeconds(10), () -> browser.metric("addressable_hubs_open") == 1);
    Object born = workerBorn(two);
    browser.push(creator.address(), "to the creator");
    browser.push(two.address(), "to two");
    browser.push(two.clientAddress(), "to every tab");
    assertEquals(List.of("to every tab", "to the creator"), creator.awaitData(2).stream().sorted().toList());
    assertEquals(List.of("to every tab", "to two"), two.awaitData(2).stream().sorted().toList());
    assertEquals(List.of("to every tab"), three.awaitData(1));

    String creatorAddress = creator.address();
    long closed = System.nanoTime();
    creator.page().close(new Page.CloseOptions().setRunBeforeUnload(false));
    Await.until("the closed tab offline", Duration.ofSeconds(10), () -> !online(creatorAddress));
    double offline = (System.nanoTime() - closed) / 1e6;
    browser.push(two.address(), "after the creator closed");
    browser.push(three.address(), "after the creator closed");
    assertEquals(List.of("to two", "to every tab", "after the creator closed").stream().sorted().toList(),
        two.awaitData(3).stream().sorted().toList(), "each once");
    assertEquals(List.of("to every tab", "after the creator closed"), three.awaitData(2));
    assertEquals(born, workerBorn(two), "the worker lives on: no hand-off");
    // A long-poll hub is closed at the relay for a moment between two polls: wait for it rather than sample once.
    Await.until("still one hub at the relay", Duration.ofSeconds(10), () -> browser.metric("addressable_hubs_open") == 1);
    assertEquals(List.of(), two.page().evaluate("() => errors"));
    System.out.printf("shared connection, worker mode, %s: 3 tabs, hubs open %d; the creator tab offline %.0f ms"
        + " after it closed, the others kept the hub%n", transport, browser.hubsOpen(), offline);
  }

  @Test
  void aReloadedOnlyTabLosesNothingAndClosingEveryTabTakesTheChannelsOffline() {
    BrowserContext profile = browser.newContext();
    String page = browser.pagesA().url("receiver.html?worker=1");
    Tab only = browser.newTab(profile).open(page).awaitOpen();
    String address = only.address();
    browser.push(address, "before");
    assertEquals(List.of("before"), only.awaitData(1));
    AtomicInteger loads = new AtomicInteger();
    only.page().route(browser.relay().base() + "/addressable.js", route -> {
      if (loads.getAndIncrement() == 0) {
        browser.push(address, "during the reload"); // while the worker, its only tab gone, is ending
      }
      route.resume();
    });
    only.page().reload();
    only.awaitOpen();
    assertEquals(address, only.address(), "a reload keeps the address");
    assertEquals("worker", only.page().evaluate("() => server.mode"));
    browser.push(address, "after");
    assertEquals(List.of("before", "during the reload", "after"), only.awaitData(3), "each once");
    assertEquals(0L, ((Number) only.page().evaluate("() => missedCalls")).longValue(), "nothing missed");

    Tab other = browser.newTab(profile).open(page).awaitOpen();
    String otherAddress = other.address();
    only.page().close(new Page.CloseOptions().setRunBeforeUnload(false));
    other.page().close(new Page.CloseOptions().setRunBeforeUnload(false));
    Await.until("both channels offline", Duration.ofSeconds(10), () -> !online(address) && !online(otherAddress));
    Await.until("no hub at the relay", Duration.ofSeconds(10), () -> browser.metric("addressable_hubs_open") == 0);
  }

  /**
   * The worker ends (the page asks it to close itself, as a crash would end it): its tabs hear
   * nothing more, open the worker again after the stall limit, which starts a fresh one, and read
   * on from their cursors. The worker's test hook (hub-worker.js) says when it was born.
   */
  @Test
  void whenTheWorkerEndsTheTabsStartAFreshOneWithinTheStallLimitAndLoseNothing() {
    BrowserContext profile = browser.newContext();
    String page = browser.pagesA().url("receiver.html?worker=1&transports=websocket&hubStall=4000");
    Tab one = browser.newTab(profile).open(page).awaitOpen();
    Tab two = browser.newTab(profile).open(page).awaitOpen();
    browser.push(two.address(), "before");
    assertEquals(List.of("before"), two.awaitData(1));
    Object born = workerBorn(two);

    long ended = System.nanoTime();
    one.page().evaluate("() => { window.ender = new SharedWorker(server.options.workerUrl,"
        + " { name: 'addressable.v1@' + server.relay }); window.ender.port.postMessage({ testEnd: true }); }");
    browser.push(two.address(), "while no worker runs");
    assertEquals(List.of("before", "while no worker runs"), two.awaitData(2));
    double back = (System.nanoTime() - ended) / 1e6;
    assertNotEquals(born, workerBorn(two), "a fresh worker carries the tabs");
    browser.push(one.address(), "after");
    browser.push(two.address(), "after");
    assertEquals(List.of("after"), one.awaitData(1));
    assertEquals(List.of("before", "while no worker runs", "after"), two.awaitData(3), "each once");
    Await.until("one hub at the relay", Duration.ofSeconds(10), () -> browser.metric("addressable_hubs_open") == 1);
    assertEquals("worker", two.page().evaluate("() => server.mode"));
    System.out.printf("shared connection, worker mode: the worker ended; a fresh one delivered to its tabs %.0f ms"
        + " later (stall limit 4,000 ms)%n", back);
  }

  /** When the worker now running was born, as its test hook tells over BroadcastChannel. */
  private static Object workerBorn(Tab tab) {
    return tab.page().evaluate("() => new Promise((resolve) => { const b = new BroadcastChannel('test-worker');"
        + " b.onmessage = (e) => { b.close(); resolve(e.data.born); }; b.postMessage('?'); })");
  }

  private static boolean online(String address) {
    RelayClient.Answer status = browser.relay().client().get(address + "/status");
    assertEquals(200, status.status(), status.body());
    return status.json().get("online").asBoolean();
  }
}
