package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.testing.Chromium;
import dev.addressable.relay.testing.ChromiumProcess;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.TempDirs;
import dev.addressable.relay.testing.TestRelay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Chromium as users run it, for tests of hidden, frozen and cached pages; the relay and the two
 * page origins are as in {@link BrowserHarness}. Playwright's {@code launch} would make every page
 * visible and turn off throttling and the back/forward cache, so each test gets a
 * {@link ChromiumProcess} of its own and drives it over {@code connectOverCDP} with
 * {@code noDefaults}, in the browser's default context only ({@code newContext()} would bring focus
 * emulation back): all tabs of a test are one profile. They are tabs of one window, so the page
 * opened or brought to front last is the visible one and the others are hidden.
 *
 * <p>Register it as {@code @RegisterExtension static final LifecycleBrowser browser = …}. Per
 * class: the relay, the page servers and Playwright. Per test: Chromium, stopped by its PID after
 * the test whatever happened, after resuming frozen and paused tabs and, on failure, printing what
 * each tab shows. Not thread-safe; tests of a class run one at a time.
 */
final class LifecycleBrowser extends RelayAndPages implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

  private static final double CONNECT_TIMEOUT_MS = 30_000;

  private final UnaryOperator<RelayConfig> tweak;
  private Path dataDir;
  private Playwright playwright;
  private ChromiumProcess chromium;
  private Browser browser;
  private BrowserContext profile;
  private final List<Tab> tabs = new ArrayList<>();
  private final Map<Page, CDPSession> sessions = new HashMap<>();
  private final List<Page> frozen = new ArrayList<>();
  private final List<Page> paused = new ArrayList<>();

  /** With relay settings changed by {@code tweak}. */
  LifecycleBrowser(UnaryOperator<RelayConfig> tweak) {
    this.tweak = tweak;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    Chromium.require("lifecycle browser tests");
    dataDir = Files.createTempDirectory("addressable-lifecycle");
    relay = TestRelay.start(dataDir, tweak);
    pagesA = new PageServer(() -> relay.base());
    pagesB = new PageServer(() -> relay.base());
    playwright = Playwright.create(
        new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    chromium = ChromiumProcess.start();
    browser = playwright.chromium().connectOverCDP(chromium.devToolsUrl(),
        new BrowserType.ConnectOverCDPOptions().setNoDefaults(true).setTimeout(CONNECT_TIMEOUT_MS));
    profile = browser.contexts().get(0);
    profile.setDefaultTimeout(Tab.TIMEOUT_MS);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (chromium == null) {
      return; // it did not start; beforeEach said why
    }
    for (Page page : List.copyOf(frozen)) {
      quietly("resuming a frozen tab", () -> lifecycle(page, "active"));
    }
    for (Page page : List.copyOf(paused)) {
      quietly("resuming a tab paused in the debugger", () -> sessions.get(page).send("Debugger.resume"));
    }
    if (context.getExecutionException().isPresent()) {
      for (int i = 0; i < tabs.size(); i++) {
        Tab tab = tabs.get(i);
        System.err.println(context.getDisplayName() + ", tab " + (i + 1) + ": "
            + (tab.page().isClosed() ? "closed" : tab.describe()));
      }
      System.err.println(chromium.describe());
    }
    tabs.clear();
    sessions.clear();
    frozen.clear();
    paused.clear();
    if (browser != null) {
      quietly("disconnecting Playwright", () -> browser.close());
    }
    quietly("stopping Chromium", () -> chromium.close());
    chromium = null;
    browser = null;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    quietly("closing Playwright", () -> playwright.close());
    quietly("closing page server A", () -> pagesA.close());
    quietly("closing page server B", () -> pagesB.close());
    quietly("stopping the relay", () -> relay.close());
    quietly("deleting " + dataDir, () -> TempDirs.delete(dataDir));
  }

  private static void quietly(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      System.err.println("while " + what + ": " + e);
    }
  }

  /** A new tab of the one profile, showing {@code pageAndQuery} of origin A; it becomes the visible tab. */
  Tab open(String pageAndQuery) {
    Tab tab = new Tab(profile.newPage()).open(pagesA.url(pageAndQuery));
    tabs.add(tab);
    return tab;
  }

  /** Makes {@code tab} the visible tab; the one visible before is hidden. */
  void show(Tab tab) {
    tab.page().bringToFront();
  }

  String visibility(Tab tab) {
    return (String) tab.page().evaluate("() => document.visibilityState");
  }

  /**
   * Freezes the tab as Chrome freezes a hidden background page: no timers, no network callbacks,
   * its locks still held. Evaluate nothing in it until {@link #resume}: that may not answer.
   */
  void freeze(Tab tab) {
    lifecycle(tab.page(), "frozen");
    frozen.add(tab.page());
  }

  void resume(Tab tab) {
    lifecycle(tab.page(), "active");
    frozen.remove(tab.page());
  }

  /**
   * Stops the tab's JavaScript at its next statement, as a page stuck in a long task: its locks
   * stay held, its timers and messages wait. Tabs have a renderer process each here (measured), so
   * the others run on. Evaluate nothing in it until {@link #unpause}: that would not answer.
   */
  void pause(Tab tab) {
    cdp(tab).send("Debugger.enable");
    cdp(tab).send("Debugger.pause");
    paused.add(tab.page());
  }

  void unpause(Tab tab) {
    cdp(tab).send("Debugger.resume");
    paused.remove(tab.page());
  }

  /** A DevTools session of the tab's page, one per page: subscribe to its events here. */
  CDPSession cdp(Tab tab) {
    return sessions.computeIfAbsent(tab.page(), p -> profile.newCDPSession(p));
  }

  private void lifecycle(Page page, String state) {
    JsonObject args = new JsonObject();
    args.addProperty("state", state);
    try {
      sessions.computeIfAbsent(page, p -> profile.newCDPSession(p)).send("Page.setWebLifecycleState", args);
    } catch (PlaywrightException e) {
      throw new AssertionError("Page.setWebLifecycleState " + state + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits at most {@code within} until the expression is truthy in the tab, on Playwright's own
   * timeout (bounded even if the renderer does not answer). On failure it describes the tab, which
   * would not answer if paused: wait on the other tabs.
   */
  void await(Tab tab, String expression, String what, Duration within) {
    try {
      tab.page().waitForFunction("() => !!(" + expression + ")", null,
          new Page.WaitForFunctionOptions().setTimeout(within.toMillis()).setPollingInterval(20));
    } catch (PlaywrightException e) {
      throw new AssertionError("timed out waiting for " + what + " (" + expression + ") within " + within.toMillis()
          + " ms; " + tab.describe(), e);
    }
  }

  /**
   * The value of an expression in the tab, read over DevTools ({@code Runtime.evaluate}), which
   * answers in a frozen page too (measured: within 10 ms); it runs nothing the page has queued.
   */
  JsonElement peek(Tab tab, String expression) {
    JsonObject args = new JsonObject();
    args.addProperty("expression", expression);
    args.addProperty("returnByValue", true);
    JsonObject result = cdp(tab).send("Runtime.evaluate", args);
    if (result.has("exceptionDetails")) {
      throw new AssertionError(expression + " threw in the page: " + result.get("exceptionDetails"));
    }
    return result.getAsJsonObject("result").get("value");
  }

  /** A push with {@code wait=seconds}: the answer says whether the receiver confirmed it in time. */
  Answer pushAndWait(String address, String message, int seconds) {
    Answer answer = relay.client().get(address + "?message=" + RelayClient.enc(message) + "&wait=" + seconds);
    assertEquals(202, answer.status(), () -> "push of " + message + ": " + answer.body());
    return answer;
  }
}
