package dev.addressable.samples;

import static org.junit.jupiter.api.Assertions.fail;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.addressable.relay.Relay;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.testing.Chromium;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.TempDirs;
import dev.addressable.relay.testing.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A relay serving the samples ({@link SamplesMain#start}, free port, temporary data dir) and a real
 * headless Chromium, for one test class: {@code @RegisterExtension static final SampleBrowser
 * browser = new SampleBrowser();}.
 *
 * <p>Chromium is the relay's tests' own ({@link Chromium}, from the relay's test jar): Debian's
 * {@code /usr/bin/chromium} or {@code -Daddressable.chromium}; when it is missing the class fails if
 * {@code CI} is set and is skipped with a message otherwise; Playwright never downloads a browser.
 * Chromium is started once for all sample test classes of a run; the relay once per class, on a
 * {@link TestClock} ({@link #clock}). Each profile
 * ({@link #newProfile}) is a fresh browser context with its own storage, closed after each test,
 * and page errors fail the test ({@link #assertNoPageErrors}). Playwright assertions wait at most
 * {@link #WAIT}. A test that counts what one browser costs the relay takes a relay of its own per
 * profile ({@link #newRelay}), stopped after the test. Not thread-safe.
 */
public final class SampleBrowser implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  /** How long any one expectation may take to come true in the page. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  private Path dataDir;
  private Relay relay;
  private final TestClock clock = new TestClock();
  private Browser browser;
  private final List<BrowserContext> profiles = new ArrayList<>();
  private final List<String> pageErrors = new ArrayList<>();
  private final List<Relay> extraRelays = new ArrayList<>();
  private final List<Path> extraDataDirs = new ArrayList<>();

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    Chromium.require("sample tests");
    dataDir = Files.createTempDirectory("addressable-samples");
    RelayConfig defaults = RelayConfig.defaults();
    relay = SamplesMain.start(defaults.withServer(defaults.server().withPort(0).withDataDir(dataDir)), clock);
    // One Chromium for every sample test class of the run (starting it costs seconds); JUnit closes
    // it after the last class, as the root store's AutoCloseable value.
    browser = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Chromium.class, k -> Chromium.launch(), Chromium.class).browser();
    PlaywrightAssertions.setDefaultAssertionTimeout(WAIT.toMillis());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    profiles.forEach(BrowserContext::close);
    profiles.clear();
    pageErrors.clear();
    extraRelays.forEach(Relay::close);
    extraRelays.clear();
    extraDataDirs.forEach(TempDirs::delete);
    extraDataDirs.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    profiles.forEach(BrowserContext::close);
    profiles.clear();
    if (relay != null) {
      relay.close();
    }
    if (dataDir != null) {
      TempDirs.delete(dataDir);
    }
  }

  /** The relay's base URL, e.g. {@code http://127.0.0.1:41234}; the samples are at {@code /samples/}. */
  public String base() {
    return "http://127.0.0.1:" + relay.port();
  }

  /** The relay's clock: the real time until a test moves it on (past a TTL, say) instead of sleeping. */
  public TestClock clock() {
    return clock;
  }

  /** A fresh browser profile (its own localStorage, so its own Addressable client), 1280×800. */
  public BrowserContext newProfile() {
    BrowserContext profile = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
    profile.setDefaultTimeout(WAIT.toMillis());
    profiles.add(profile);
    return profile;
  }

  /** A new tab of {@code profile} showing {@code path} of the relay, e.g. {@code /samples/chat/}. */
  public Page open(BrowserContext profile, String path) {
    Page page = profile.newPage();
    page.onPageError(e -> pageErrors.add(path + ": " + e));
    page.navigate(base() + path);
    return page;
  }

  /**
   * {@code count} new tabs of {@code profile} showing {@code url} (absolute), returned as soon as
   * the browser has them all, without waiting for them to load: they load together, as a browser
   * restoring its tabs does. A blank tab opens them with {@code window.open(url, '_blank')}, as
   * links opened in new tabs, and closes: opening each through Playwright costs half a second or
   * more on a busy machine, and tabs opened by one page share a renderer process.
   */
  public List<Page> openTabs(BrowserContext profile, String url, int count) {
    profile.onPage(page -> page.onPageError(e -> pageErrors.add(url + ": " + e)));
    Page opener = profile.newPage();
    int before = profile.pages().size();
    opener.evaluate("([url, count]) => { for (let i = 0; i < count; i++) window.open(url, '_blank'); }", List.of(url, count));
    // Loose: on a loaded machine the browser may take seconds to make ten tabs.
    profile.waitForCondition(() -> profile.pages().size() >= before + count,
        new BrowserContext.WaitForConditionOptions().setTimeout(60_000));
    List<Page> tabs = new ArrayList<>(profile.pages());
    tabs.removeAll(List.of(opener));
    opener.close();
    return tabs;
  }

  /**
   * Another relay serving the samples, on a free port and a temporary data dir of its own, stopped
   * after the test. Given to one profile, its {@code /metrics} are what that one browser costs.
   */
  public Relay newRelay() throws IOException {
    Path dir = Files.createTempDirectory("addressable-samples");
    extraDataDirs.add(dir);
    RelayConfig defaults = RelayConfig.defaults();
    Relay started = SamplesMain.start(defaults.withServer(defaults.server().withPort(0).withDataDir(dir)));
    extraRelays.add(started);
    return started;
  }

  /** A new tab in a profile of its own: another browser, as far as the relay can tell. */
  public Page open(String path) {
    return open(newProfile(), path);
  }

  /** Fails with the uncaught errors the samples' pages threw, if any. */
  public void assertNoPageErrors() {
    if (!pageErrors.isEmpty()) {
      fail("the pages threw: " + pageErrors);
    }
  }

  /** Saves the whole of {@code page} as {@code target/screenshots/<name>.png}. */
  public Path screenshot(Page page, String name) {
    Path file = Paths.get("target", "screenshots", name + ".png");
    page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
    return file;
  }

  /** Plain HTTP to the relay, as a backend makes it (the relay's own test client); paths or absolute URLs. */
  public RelayClient http() {
    return new RelayClient(base());
  }
}

