package dev.addressable.relay.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import dev.addressable.relay.testing.Chromium;
import dev.addressable.relay.testing.TempDirs;
import dev.addressable.relay.testing.TestClock;
import dev.addressable.relay.testing.TestRelay;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real headless Chromium, a real relay and two page origins for one test class. Register it as
 * {@code @RegisterExtension static final BrowserHarness browser = new BrowserHarness();}.
 *
 * <p>Before all tests: checks for Chromium and launches it ({@link Chromium}: missing, a failure when
 * the {@code CI} environment variable is set, else every test of the class is skipped with a
 * message; Playwright never downloads a browser), starts a relay on a free port
 * that {@link #restartRelay} keeps, and serves the pages of {@code src/test/resources/browser/}
 * from two more origins ({@link #pagesA()}, {@link #pagesB()}). After each test: screenshots every
 * tab it opened into {@code target/screenshots/<class>/} and closes its browser contexts. After
 * all: stops everything it started. Not thread-safe; tests of a class run one at a time.
 */
final class BrowserHarness extends RelayAndPages implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  private Chromium chromium;
  private Browser browser;
  private Path dataDir;
  private int relayPort;
  /** One clock for the relay and any relay that replaces it ({@link #restartRelay}). */
  private final TestClock clock = new TestClock();
  private final List<BrowserContext> contexts = new ArrayList<>();
  private final List<Tab> tabs = new ArrayList<>();
  private final java.util.function.UnaryOperator<dev.addressable.relay.config.RelayConfig> tweak;

  BrowserHarness() {
    this(java.util.function.UnaryOperator.identity());
  }

  /** With relay settings changed by {@code tweak} (port and data dir are the harness's). */
  BrowserHarness(java.util.function.UnaryOperator<dev.addressable.relay.config.RelayConfig> tweak) {
    this.tweak = tweak;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    Chromium.require("browser tests");
    dataDir = Files.createTempDirectory("addressable-browser");
    try (ServerSocket probe = new ServerSocket(0)) {
      relayPort = probe.getLocalPort();
    }
    startRelay();
    pagesA = new PageServer(() -> relay.base());
    pagesB = new PageServer(() -> relay.base());
    chromium = Chromium.launch();
    browser = chromium.browser();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Path dir = Paths.get("target", "screenshots", context.getRequiredTestClass().getSimpleName());
    String name = context.getRequiredTestMethod().getName() + suffix(context.getDisplayName());
    for (int i = 0; i < tabs.size(); i++) {
      Tab tab = tabs.get(i);
      try {
        if (!tab.page().isClosed()) {
          tab.page().screenshot(new Page.ScreenshotOptions().setFullPage(true)
              .setPath(dir.resolve(name + (tabs.size() > 1 ? "-tab" + (i + 1) : "") + ".png")));
        }
      } catch (PlaywrightException e) {
        System.err.println("no screenshot of tab " + (i + 1) + " of " + name + ": " + e.getMessage());
      }
      if (context.getExecutionException().isPresent()) {
        System.err.println(name + ", tab " + (i + 1) + ": " + tab.describe());
      }
    }
    tabs.clear();
    contexts.forEach(BrowserContext::close);
    contexts.clear();
  }

  /** "[2] sse" → "-sse" for parameterized tests; nothing for plain ones. */
  private static String suffix(String displayName) {
    if (!displayName.startsWith("[")) {
      return "";
    }
    return "-" + displayName.replaceFirst("^\\[\\d+\\]\\s*", "").replaceAll("[^A-Za-z0-9_-]+", "_");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    // Each step runs even when an earlier one fails, so no relay or browser outlives its class.
    quietly(chromium, () -> chromium.close());
    quietly(pagesA, () -> pagesA.close());
    quietly(pagesB, () -> pagesB.close());
    quietly(relay, () -> relay.close());
    quietly(dataDir, () -> TempDirs.delete(dataDir));
  }

  private static void quietly(Object started, Runnable stop) {
    if (started == null) {
      return;
    }
    try {
      stop.run();
    } catch (RuntimeException e) {
      System.err.println("while stopping " + started + ": " + e);
    }
  }

  /** A fresh browser profile: its own localStorage and sessionStorage, so its own Addressable client. */
  BrowserContext newContext() {
    BrowserContext context = browser.newContext();
    context.setDefaultTimeout(Tab.TIMEOUT_MS);
    contexts.add(context);
    return context;
  }

  /** A new tab in {@code context}, recorded and screenshotted after the test; not navigated yet. */
  Tab newTab(BrowserContext context) {
    Tab tab = new Tab(context.newPage());
    tabs.add(tab);
    return tab;
  }

  /** A new tab in a fresh context, showing {@code pageAndQuery} of origin A. */
  Tab open(String pageAndQuery) {
    return newTab(newContext()).open(pagesA.url(pageAndQuery));
  }

  /** Stops the relay and starts a new one on the same port with the same data dir (so the same secret). */
  void restartRelay() {
    relay.close();
    startRelay();
  }

  /** Stops the relay; {@link #startRelayAgain} brings it back on the same port with the same data dir. */
  void stopRelay() {
    relay.close();
  }

  void startRelayAgain() {
    startRelay();
  }

  private void startRelay() {
    relay = TestRelay.start(dataDir, c -> tweak.apply(c).withServer(c.server().withPort(relayPort)), clock);
  }
}
