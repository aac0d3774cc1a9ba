package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.BrowserContext;
import dev.addressable.relay.testing.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A leader tab that goes silent while it keeps its lock, as a frozen or stuck page does. Freezing
 * a page for real needs a Chromium without Playwright's focus emulation, and a debugger pause
 * stops every page of the renderer process the tabs share, so the leader is made silent from
 * inside: its hub stops telling the followers anything, while its relay connection stays open.
 * Heartbeats come every second, so a working hub says so often; the followers' stall limit is 4 s.
 */
@Timeout(90)
class TabLifecycleTest {

  @RegisterExtension
  static final BrowserHarness browser = new BrowserHarness(c -> c.withPoll(c.poll().withHeartbeat(Duration.ofSeconds(1))));

  @Test
  void aVisibleFollowerTakesOverASilentLeaderWhichStepsDownWhenTheRelaySupersedesIt() {
    BrowserContext profile = browser.newContext();
    String page = browser.pagesA().url("receiver.html?transports=websocket&hubStall=4000");
    Tab leader = browser.newTab(profile).open(page).awaitOpen();
    Tab follower = browser.newTab(profile).open(page).awaitOpen();
    assertEquals("leader", leader.page().evaluate("() => server.mode"));
    assertEquals("follower", follower.page().evaluate("() => server.mode"));
    browser.push(follower.address(), "before");
    assertEquals(List.of("before"), follower.awaitData(1));

    leader.page().evaluate("() => { const p = server._peer; p.hub.state = () => {}; p.hub.post = () => {};"
        + " p.post = () => {}; }");
    long silent = System.nanoTime();
    Await.until("the follower to take over", Duration.ofSeconds(15),
        () -> (Boolean) follower.page().evaluate("() => server.mode === 'leader' && server.state === 'open'"));
    double takeOver = (System.nanoTime() - silent) / 1e6;
    browser.push(follower.address(), "after the take-over");
    assertEquals(List.of("before", "after the take-over"), follower.awaitData(2));
    Await.until("the silent leader, superseded at the relay, to step down", Duration.ofSeconds(15),
        () -> "follower".equals(leader.page().evaluate("() => server.mode")));
    Await.until("one hub at the relay", Duration.ofSeconds(10), () -> browser.relay().client().get("/metrics").body()
        .lines().anyMatch(l -> l.equals("addressable_hubs_open 1.0") || l.equals("addressable_hubs_open 1")));
    System.out.printf("shared connection: leader silent; the follower took over %.0f ms later (stall limit 4,000 ms)%n",
        takeOver);
  }
}
