package dev.addressable.samples;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import dev.addressable.relay.Relay;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every sample in ten tabs of one browser profile, on every transport (issue 18): the tabs share
 * one relay connection, every tab says it is connected, and what is sent reaches, visibly and
 * once, exactly the tabs it is for. Each profile has a relay of its own, so that relay's
 * {@code /metrics} are one browser's counts. A sample's transports run side by side, one profile
 * each, all tabs loading at once (forty tabs), to keep the matrix short. One line per combination
 * is printed: how long from opening its tabs until every one said it was connected, and from its
 * send until every tab showed it (an upper bound: the profiles' sends and checks take turns).
 */
@Timeout(240)
class TenTabsTest {

  @RegisterExtension static final SampleBrowser browser = new SampleBrowser();

  private static final int TABS = 10;
  private static final List<String> TRANSPORTS = List.of("websocket", "sse", "longpoll", "jsonp");
  /** Forty tabs loading at once on a two-core machine that other builds keep busy: loose. */
  private static final Duration CONNECTED_WITHIN = Duration.ofSeconds(90);

  @Test
  void chatInTenTabsSendsToOneTabAndTheClientAddressReachesEach() throws Exception {
    List<Profile> profiles = open("chat", TRANSPORTS, "t => document.getElementById('state')?.textContent === 'online · ' + t");
    for (Profile p : profiles) {
      p.expectOneHub();
    }
    // Tab 0 writes to tab 5 through the page, as a user would: the message shows in tab 5 alone,
    // and tab 0 sees ✓✓ (tab 5 acked it through the hub).
    for (Profile p : profiles) {
      Page from = p.tabs.get(0);
      from.fill("#peer", (String) p.tabs.get(5).evaluate("() => server.url"));
      from.press("#peer", "Enter");
      from.fill("#text", "hello tab 5 over " + p.transport);
      from.press("#text", "Enter");
    }
    for (Profile p : profiles) {
      assertThat(p.tabs.get(5).locator(".message.in .text")).hasText("hello tab 5 over " + p.transport);
      assertThat(p.tabs.get(0).locator(".message.out .tick")).hasAttribute("data-state", "received");
    }
    deliverToEveryTab(profiles, p -> p.push(p.clientUrl(), "to every chat tab over " + p.transport),
        (p, i) -> assertThat(p.tabs.get(i).locator(".message.in .text")).hasText(i == 5
            ? new String[] {"hello tab 5 over " + p.transport, "to every chat tab over " + p.transport}
            : new String[] {"to every chat tab over " + p.transport}));
  }

  @Test
  void notifyInTenTabsShowsANoticeToAllOfThemAndOneToItsTabOnly() throws Exception {
    List<Profile> profiles = open("notify", TRANSPORTS, "t => document.getElementById('state')?.textContent === 'live · ' + t");
    for (Profile p : profiles) {
      p.expectOneHub();
    }
    // Tab 3's form sends to the client address: the notice shows in every tab, once. (Enter, not a
    // click: Playwright's click waits for two animation frames, which tabs in the background give
    // about once a second.)
    deliverToEveryTab(profiles, p -> {
      p.tabs.get(3).fill("#text", "the release moves to Friday (" + p.transport + ")");
      p.tabs.get(3).press("#text", "Enter");
    }, (p, i) -> assertThat(p.tabs.get(i).locator("#history .notice .text"))
        .hasText("the release moves to Friday (" + p.transport + ")"));
    for (Profile p : profiles) {
      assertThat(p.tabs.get(3).locator("#result")).hasText("Sent to 10 tabs, kept 30 s for tabs that are away.");
      p.push((String) p.tabs.get(7).evaluate("() => server.url"), "{\"from\":\"Jonas\",\"text\":\"only for tab 7\"}");
    }
    for (Profile p : profiles) {
      for (int i = 0; i < TABS; i++) {
        String all = "the release moves to Friday (" + p.transport + ")";
        assertThat(p.tabs.get(i).locator("#history .notice .text"))
            .hasText(i == 7 ? new String[] {"only for tab 7", all} : new String[] {all});
      }
    }
  }

  @Test
  void monitorInTenTabsCountsEachPublishInEveryTabAndAMessageToOneTabThereOnly() throws Exception {
    List<Profile> profiles = open("monitor", TRANSPORTS, "t => document.getElementById('state')?.textContent === 'live · ' + t"
        + " && document.getElementById('monitor').dataset.subscribed === 'yes'");
    for (Profile p : profiles) {
      p.expectOneHub();
    }
    deliverToEveryTab(profiles, p -> p.push(p.http.get("/samples/monitor/api/topic").json().get("url").asText(),
            "checkout: €42 over " + p.transport),
        (p, i) -> {
          assertThat(p.tabs.get(i).locator("#total")).hasText("1");
          assertThat(p.tabs.get(i).locator("#feed li .text")).hasText("€42 over " + p.transport);
        });
    for (Profile p : profiles) {
      p.push((String) p.tabs.get(2).evaluate("() => server.url"), "login: only tab 2");
    }
    for (Profile p : profiles) {
      assertThat(p.tabs.get(2).locator("#feed li .text")).hasText(new String[] {"only tab 2", "€42 over " + p.transport});
      for (int i = 0; i < TABS; i++) {
        assertThat(p.tabs.get(i).locator("#total")).hasText(i == 2 ? "2" : "1");
      }
    }
  }

  /**
   * The doorbell uses no library: one tab waits on the event variable, with a script tag (jsonp) or
   * a plain GET (longpoll), and tells the others. Event variables have no stream form.
   */
  @Test
  void doorbellInTenTabsWaitsOnceAndEveryTabSeesAPress() throws Exception {
    List<Profile> profiles = open("doorbell", List.of("jsonp", "longpoll"),
        "t => document.getElementById('state')?.textContent === 'waiting for the doorbell'"
            + " && document.getElementById('count').textContent === '0'");
    for (Profile p : profiles) {
      p.expectCounts("hubs 0, streams 0, parked 1"); // one wait for the whole browser
    }
    deliverToEveryTab(profiles, p -> p.tabs.get(4).press("#increment", "Enter"), (p, i) -> {
      assertThat(p.tabs.get(i).locator("#count")).hasText("1");
      // Tab 4 pressed; every other tab hears of it once (the waiting tab from the relay, the rest from that tab).
      Locator log = p.tabs.get(i).locator("#log li");
      if (i == 4) {
        assertThat(log.filter(new Locator.FilterOptions().setHasText("you pressed +1: the counter is 1"))).hasCount(1);
      } else {
        assertThat(log.filter(new Locator.FilterOptions().setHasText("the doorbell rang: the counter is 1"))).hasCount(1);
      }
    });
    for (Profile p : profiles) {
      p.expectCounts("hubs 0, streams 0, parked 1");
    }
  }

  /**
   * Opens {@link #TABS} tabs of the sample per transport, each transport in a profile with a relay
   * of its own, all loading at once; waits until {@code connected} (a function of the transport,
   * in the page) holds in every tab, and for the library's samples until one tab leads and the rest follow.
   */
  private static List<Profile> open(String sample, List<String> transports, String connected) throws IOException {
    List<Profile> profiles = new ArrayList<>();
    for (String transport : transports) {
      profiles.add(new Profile(sample, transport, browser.newRelay(), browser.newProfile()));
    }
    for (Profile p : profiles) {
      p.openedAt = System.nanoTime();
      p.tabs.addAll(browser.openTabs(p.profile, p.base() + "/samples/" + sample + "/?transports=" + p.transport, TABS));
    }
    // One tab at a time, each polling in its page: polling forty pages from here would take CPU
    // from the pages loading. A tab found connected after an earlier one was waited for is
    // counted then: connectedAt is when the test saw it, an upper bound.
    long deadline = System.nanoTime() + CONNECTED_WITHIN.toNanos();
    for (Profile p : profiles) {
      for (int i = 0; i < TABS; i++) {
        Page tab = p.tabs.get(i);
        try {
          tab.waitForFunction(connected, p.transport, new Page.WaitForFunctionOptions().setPollingInterval(50)
              .setTimeout(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        } catch (PlaywrightException e) {
          throw new AssertionError(p + " tab " + i + " did not say it was connected within " + CONNECTED_WITHIN + ": "
              + tab.evaluate("() => document.readyState + ', ' + document.getElementById('state')?.textContent"
              + " + (window.server ? ', mode ' + server.mode : '')"), e);
        }
        p.connectedAt[i] = System.nanoTime();
      }
    }
    if (!sample.equals("doorbell")) {
      for (Profile p : profiles) {
        List<Object> modes = new ArrayList<>();
        for (Page tab : p.tabs) {
          modes.add(tab.evaluate("() => server.mode"));
        }
        assertEquals(1, modes.stream().filter("leader"::equals).count(), p + ": one leader: " + modes);
        assertEquals(TABS - 1, modes.stream().filter("follower"::equals).count(), p + ": the rest follow: " + modes);
      }
    }
    return profiles;
  }

  /** Runs {@code send} for every profile, then waits until {@code shown} holds in each of its tabs; prints the summary lines. */
  private static void deliverToEveryTab(List<Profile> profiles, Consumer<Profile> send, TabCheck shown) {
    long[] sentAt = new long[profiles.size()];
    for (int k = 0; k < profiles.size(); k++) {
      sentAt[k] = System.nanoTime();
      send.accept(profiles.get(k));
    }
    for (int k = 0; k < profiles.size(); k++) {
      Profile p = profiles.get(k);
      for (int i = 0; i < TABS; i++) {
        shown.check(p, i);
      }
      System.out.printf("samples: %s %s %d tabs, %s, connected in %d ms, delivered to every tab in %d ms%n", p.sample,
          p.transport, TABS, p.counts, p.connectedMillis(), (System.nanoTime() - sentAt[k]) / 1_000_000);
    }
    browser.assertNoPageErrors();
  }

  @FunctionalInterface
  private interface TabCheck {
    void check(Profile profile, int tab);
  }

  /** One browser profile: {@link #TABS} tabs of a sample on a relay of its own, the transport forced by the query. */
  private static final class Profile {
    final String sample;
    final String transport;
    final Relay relay;
    final BrowserContext profile;
    final RelayClient http;
    final List<Page> tabs = new ArrayList<>();
    long openedAt = System.nanoTime();
    final long[] connectedAt = new long[TABS];
    String counts = "";

    Profile(String sample, String transport, Relay relay, BrowserContext profile) {
      this.sample = sample;
      this.transport = transport;
      this.relay = relay;
      this.profile = profile;
      this.http = new RelayClient(base());
    }

    String base() {
      return "http://127.0.0.1:" + relay.port();
    }

    String clientUrl() {
      return (String) tabs.get(0).evaluate("() => server.clientUrl");
    }

    void push(String address, String message) {
      RelayClient.Answer answer = http.sendGet(address, message);
      assertEquals(202, answer.status(), this + ": push of " + message + ": " + answer.body());
    }

    /**
     * One hub, and no receive of a tab's own: on WebSocket and SSE one stream, on long-poll and
     * JSONP none. The relay counts as parked one wait per channel of the hub's poll or stream, and
     * a stream's heartbeat: a tab receiving alone would add its poll or its stream's.
     */
    void expectOneHub() {
      boolean stream = transport.equals("websocket") || transport.equals("sse");
      expectCounts("hubs 1, streams " + (stream ? 1 : 0) + ", parked " + (TABS + (stream ? 1 : 0)));
    }

    /** Waits until the relay's counts are {@code expected}, e.g. "hubs 1, streams 1, parked 11". */
    void expectCounts(String expected) {
      counts = Await.value(this + ": the relay's counts", Duration.ofSeconds(15), () -> "hubs " + metric("addressable_hubs_open")
          + ", streams " + metric("addressable_streams_open") + ", parked " + metric("addressable_parked_requests"),
          expected::equals);
    }

    long metric(String name) {
      return http.get("/metrics").body().lines().filter(l -> l.startsWith(name + " "))
          .mapToLong(l -> (long) Double.parseDouble(l.split(" ")[1])).findFirst()
          .orElseThrow(() -> new AssertionError("no " + name + " in /metrics"));
    }

    long connectedMillis() {
      long last = 0;
      for (long at : connectedAt) {
        last = Math.max(last, at);
      }
      return (last - openedAt) / 1_000_000;
    }

    @Override
    public String toString() {
      return sample + " " + transport;
    }
  }
}
