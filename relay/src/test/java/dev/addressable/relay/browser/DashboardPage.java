package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The relay dashboard open in a tab of its own (a fresh browser context, so its own session
 * storage), and a recorder of console errors and warnings and page errors, for the dashboard
 * tests. Reads what the page shows by element id; every wait is on the page's DOM with
 * {@link Tab#TIMEOUT_MS} as its deadline. Not thread-safe.
 */
final class DashboardPage {

  /** How many different heights a chart's line has: 1 for a flat line, 0 for none. */
  private static final String LINE_HEIGHTS = "window.lineHeights = (chart, series) => {"
      + " const path = document.querySelector('#' + chart + ' path[data-series=\"' + series + '\"]');"
      + " const d = path ? path.getAttribute('d') || '' : '';"
      + " const ys = [...d.matchAll(/[ML]([-0-9.]+) ([-0-9.]+)/g)].map(m => m[2]);"
      + " return new Set(ys).size; };";

  private final Page page;
  private final Response response;
  private final List<String> problems = new ArrayList<>();

  private DashboardPage(Page page, String url, Predicate<String> expectedConsole) {
    this.page = page;
    page.onConsoleMessage(m -> {
      if (("error".equals(m.type()) || "warning".equals(m.type())) && !expectedConsole.test(m.text())) {
        problems.add(m.type() + ": " + m.text());
      }
    });
    page.onPageError(e -> problems.add("pageerror: " + e));
    page.addInitScript(LINE_HEIGHTS);
    this.response = page.navigate(url);
  }

  /** Opens {@code url}; any console error or warning counts as a problem. */
  static DashboardPage open(BrowserHarness browser, String url) {
    return open(browser, url, text -> false);
  }

  /** Opens {@code url}; console messages {@code expected} accepts are not problems. */
  static DashboardPage open(BrowserHarness browser, String url, Predicate<String> expected) {
    return new DashboardPage(browser.newTab(browser.newContext()).page(), url, expected);
  }

  Page page() {
    return page;
  }

  /** The HTTP status the page itself was served with. */
  int status() {
    return response.status();
  }

  String text(String id) {
    return page.textContent("#" + id).trim();
  }

  /** An element's text as a whole number ("1,234" → 1234). */
  long number(String id) {
    return Long.parseLong(text(id).replace(",", ""));
  }

  /** The {@code d} of a chart's line for one series. */
  String line(String chart, String series) {
    return page.getAttribute("#" + chart + " path[data-series=\"" + series + "\"]", "d");
  }

  long reads() {
    Object reads = page.evaluate("() => Number(document.body.dataset.reads || 0)");
    return ((Number) reads).longValue();
  }

  void refreshEverySecond() {
    page.selectOption("#every", "1000");
  }

  /** Waits until the page has read {@code /metrics} at least {@code count} times. */
  void awaitReads(long count) {
    awaitTrue(count + " reads of /metrics", "Number(document.body.dataset.reads || 0) >= " + count);
  }

  /**
   * Waits until the number an element shows (commas dropped; "–" is no number) passes
   * {@code test}, a JavaScript expression of {@code n}, e.g. {@code "n > 0"}.
   */
  void awaitNumber(String id, String what, String test) {
    awaitTrue(what + " (#" + id + ": " + test + ")", "(() => { const t = document.getElementById('" + id
        + "').textContent.replace(/,/g, '').trim(); const n = t === '' || t === '–' ? NaN : Number(t);"
        + " return !isNaN(n) && (" + test + "); })()");
  }

  /** Waits until the JavaScript expression is truthy in the page. */
  void awaitTrue(String what, String expression) {
    try {
      page.waitForFunction("() => !!(" + expression + ")", null,
          new Page.WaitForFunctionOptions().setTimeout(Tab.TIMEOUT_MS).setPollingInterval(20));
    } catch (PlaywrightException e) {
      throw new AssertionError("timed out waiting for " + what + "; " + describe(), e);
    }
  }

  void assertNoProblems() {
    assertEquals(List.of(), problems, "console errors or warnings");
  }

  private String describe() {
    try {
      return "page shows: " + page.innerText("body").replaceAll("\\s+", " ") + "; problems " + problems;
    } catch (PlaywrightException e) {
      return "page not readable (" + e.getMessage() + "); problems " + problems;
    }
  }
}
