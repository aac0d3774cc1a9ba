package dev.addressable.samples;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.addressable.relay.Relay;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.testing.TestClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A relay serving the samples ({@link SamplesMain#start}, free port, temporary data dir) and a real
 * headless Chromium, for one test class: {@code @RegisterExtension static final SampleBrowser
 * browser = new SampleBrowser();}.
 *
 * <p>Follows the relay's browser harness ({@code dev.addressable.relay.browser.BrowserHarness},
 * package-private, so not reusable from here): Debian's {@code /usr/bin/chromium} or
 * {@code -Daddressable.chromium}; when it is missing the class fails if {@code CI} is set and is
 * skipped with a message otherwise; Playwright never downloads a browser. Chromium is started once
 * for all sample test classes of a run; the relay once per class. Each profile
 * ({@link #newProfile}) is a fresh browser context with its own storage, closed after each test,
 * and page errors fail the test ({@link #assertNoPageErrors}). Playwright assertions wait at most
 * {@link #WAIT}. Not thread-safe.
 */
public final class SampleBrowser implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  /** How long any one expectation may take to come true in the page. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  static final Path CHROMIUM = Paths.get(System.getProperty("addressable.chromium", "/usr/bin/chromium"));
  static final List<String> CHROMIUM_ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
      "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private Path dataDir;
  private Relay relay;
  private final TestClock clock = new TestClock();
  private Browser browser;
  private final List<BrowserContext> profiles = new ArrayList<>();
  private final List<String> pageErrors = new ArrayList<>();

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    requireChromium();
    dataDir = Files.createTempDirectory("addressable-samples");
    RelayConfig defaults = RelayConfig.defaults();
    relay = SamplesMain.start(defaults.withServer(defaults.server().withPort(0).withDataDir(dataDir)), clock);
    browser = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Chromium.class, k -> new Chromium(), Chromium.class).browser;
    PlaywrightAssertions.setDefaultAssertionTimeout(WAIT.toMillis());
  }

  private static void requireChromium() {
    if (Files.isExecutable(CHROMIUM)) {
      return;
    }
    String missing = "sample tests need Chromium at " + CHROMIUM + " (apt-get install -y chromium)";
    if (System.getenv("CI") != null) {
      fail(missing + "; CI is set, so this fails instead of skipping");
    }
    System.err.println("SKIPPED sample browser tests: " + missing);
    assumeTrue(false, missing + "; skipped outside CI");
  }

  @Override
  public void afterEach(ExtensionContext context) {
    profiles.forEach(BrowserContext::close);
    profiles.clear();
    pageErrors.clear();
  }

  /**
   * Playwright and one Chromium, shared by every sample test class of the run (starting them costs
   * seconds); JUnit closes them after the last class, as the root store's AutoCloseable value.
   */
  private static final class Chromium implements AutoCloseable {
    final Playwright playwright = Playwright.create(
        new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    final Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(CHROMIUM_ARGS));

    @Override
    public void close() {
      browser.close();
      playwright.close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    profiles.forEach(BrowserContext::close);
    profiles.clear();
    if (relay != null) {
      relay.close();
    }
    if (dataDir != null) {
      try (Stream<Path> paths = Files.walk(dataDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        System.err.println("could not delete " + dataDir + ": " + e);
      }
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

  /** A plain HTTP request to the relay, as a backend makes it; {@code pathOrUrl} may be absolute. */
  public HttpResponse<String> request(String method, String pathOrUrl) {
    try {
      return requestAsync(method, pathOrUrl).get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? new UncheckedIOException(io) : new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException(method + " " + pathOrUrl + ": " + e, e);
    }
  }

  /** The same, without waiting for the answer (it times out after 15 s). */
  public CompletableFuture<HttpResponse<String>> requestAsync(String method, String pathOrUrl) {
    URI uri = URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base() + pathOrUrl);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }
}

