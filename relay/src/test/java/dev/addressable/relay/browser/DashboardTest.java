package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.addressable.relay.metrics.BuildInfo;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay's own dashboard ({@code /dashboard}, open: no admin token) in Chromium: it loads
 * without a console error, its values and lines follow what the relay does, and it is usable
 * from the keyboard and by name. Waits are on what the page shows, each with a deadline.
 */
@Timeout(90)
class DashboardTest {

  @RegisterExtension static final BrowserHarness browser = new BrowserHarness();

  @Test
  void loadsCleanAndItsChartsFollowSendsAndPolls() {
    DashboardPage dashboard = DashboardPage.open(browser, browser.relay().base() + "/dashboard");
    dashboard.refreshEverySecond();
    dashboard.awaitReads(1);
    assertEquals(BuildInfo.version(), dashboard.text("version"));
    assertNotEquals("…", dashboard.text("uptime"));
    String sentLineBefore = dashboard.line("rate-chart", "sent");

    RelayClient http = browser.relay().client();
    Connection tab = http.connect();
    CompletableFuture<Answer> parked = http.pollAsync(tab, tab.cursor(), 30);
    dashboard.awaitNumber("parked-value", "a parked poll", "n >= 1");
    dashboard.awaitNumber("channels-value", "a live channel", "n >= 1");

    long sentBefore = dashboard.number("sent-total");
    for (int i = 1; i <= 10; i++) {
      browser.push(tab.url(), "m" + i);
    }
    assertEquals(200, parked.join().status());
    dashboard.awaitNumber("sent-total", "ten more messages sent", "n >= " + (sentBefore + 10));
    dashboard.awaitNumber("sent-rate", "a rate of sends", "n > 0");
    dashboard.awaitNumber("delivered-rate", "a rate of deliveries", "n > 0");
    dashboard.awaitNumber("latency-count", "a delivery latency measured", "n >= 1");
    dashboard.awaitTrue("the long-poll row counts its delivery",
        "Number(document.querySelector('#latency-table tr th').nextElementSibling.textContent.replace(/,/g, '')) >= 1");
    dashboard.awaitNumber("parked-value", "the answered poll gone", "n === 0");

    dashboard.awaitTrue("the sends drawn as a line that rises", "window.lineHeights('rate-chart', 'sent') > 1");
    dashboard.awaitTrue("the parked poll drawn as a line that rises", "window.lineHeights('parked-chart', 'parked') > 1");
    assertNotEquals(sentLineBefore, dashboard.line("rate-chart", "sent"));
    assertTrue(dashboard.text("memory-limit").matches("[0-9.]+ (B|KiB|MiB|GiB|TiB)"), dashboard.text("memory-limit"));
    dashboard.assertNoProblems();
  }

  @Test
  void pausesAndResumesFromTheKeyboard() {
    DashboardPage dashboard = DashboardPage.open(browser, browser.relay().base() + "/dashboard");
    dashboard.awaitReads(1);
    Page page = dashboard.page();
    page.focus("#every");
    page.keyboard().press("ArrowUp"); // a focused select changes with the arrow keys: 2 s → 1 s
    assertEquals("1000", page.evalOnSelector("#every", "e => e.value"));
    page.keyboard().press("Tab");
    assertEquals("pause", page.evaluate("() => document.activeElement.id"));
    page.keyboard().press("Space");
    assertEquals("true", page.getAttribute("#pause", "aria-pressed"));
    assertEquals("Paused.", dashboard.text("status"));

    long reads = dashboard.reads();
    page.keyboard().press("Enter");
    assertEquals("false", page.getAttribute("#pause", "aria-pressed"));
    dashboard.awaitReads(reads + 2);
    dashboard.assertNoProblems();
  }

  @Test
  void everyChartHasANameAndItsValuesAsText() {
    DashboardPage dashboard = DashboardPage.open(browser, browser.relay().base() + "/dashboard");
    dashboard.awaitReads(2);
    @SuppressWarnings("unchecked")
    List<String> unnamed = (List<String>) dashboard.page().evaluate("() => [...document.querySelectorAll('svg.chart')]"
        + ".filter(svg => svg.getAttribute('role') !== 'img' || !svg.getAttribute('aria-labelledby').split(' ')"
        + ".every(id => document.getElementById(id) && document.getElementById(id).textContent.trim())"
        + " || !svg.closest('section').querySelector('h2') || svg.closest('section').querySelectorAll('dd').length < 2)"
        + ".map(svg => svg.id)");
    assertEquals(List.of(), unnamed, "charts without a heading, a name or values beside them");
    assertEquals(6L, ((Number) dashboard.page().evaluate("() => document.querySelectorAll('svg.chart').length")).longValue());
    @SuppressWarnings("unchecked")
    List<String> unlabelled = (List<String>) dashboard.page().evaluate("() => [...document.querySelectorAll('input, select')]"
        + ".filter(e => !document.querySelector('label[for=\"' + e.id + '\"]')).map(e => e.id)");
    assertEquals(List.of(), unlabelled, "controls without a label");
    assertTrue(dashboard.text("parked-value").matches("\\d+"), dashboard.text("parked-value"));
    assertTrue(dashboard.text("channels-value").matches("\\d+"), dashboard.text("channels-value"));
    dashboard.assertNoProblems();
  }
}
