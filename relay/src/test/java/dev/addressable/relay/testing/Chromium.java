package dev.addressable.relay.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * Debian's headless Chromium, driven by Playwright, for the browser tests of every module (the
 * relay's {@code BrowserHarness}, the samples' {@code SampleBrowser}). Playwright never downloads a
 * browser. Call {@link #require} before anything else in a class's {@code beforeAll}: without
 * Chromium, the class fails when the {@code CI} environment variable is set and is skipped with a
 * message otherwise. {@link #close} stops the browser, then Playwright. Not thread-safe (nor is
 * Playwright).
 */
public final class Chromium implements AutoCloseable {

  /** Debian's Chromium; {@code -Daddressable.chromium=/other/path} points elsewhere. */
  public static final Path PATH = Paths.get(System.getProperty("addressable.chromium", "/usr/bin/chromium"));
  public static final List<String> ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
      "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");

  private final Playwright playwright;
  private final Browser browser;

  private Chromium(Playwright playwright, Browser browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  /**
   * Returns if Chromium is there; otherwise fails (with {@code CI} set) or skips the calling test
   * class, naming {@code tests} (e.g. "sample tests") in the message.
   */
  public static void require(String tests) {
    if (Files.isExecutable(PATH)) {
      return;
    }
    String missing = tests + " need Chromium at " + PATH + " (apt-get install -y chromium)";
    if (System.getenv("CI") != null) {
      fail(missing + "; CI is set, so this fails instead of skipping");
    }
    System.err.println("SKIPPED " + tests + ": " + missing); // surefire counts a class skipped in beforeAll as 0 tests
    assumeTrue(false, missing + "; skipped outside CI");
  }

  /** Starts Playwright and launches Chromium headless. */
  public static Chromium launch() {
    Playwright playwright = Playwright.create(
        new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    try {
      Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
          .setExecutablePath(PATH).setHeadless(true).setArgs(ARGS));
      return new Chromium(playwright, browser);
    } catch (RuntimeException e) {
      playwright.close();
      throw e;
    }
  }

  public Browser browser() {
    return browser;
  }

  /** Closes the browser, then Playwright, even if closing the browser fails. */
  @Override
  public void close() {
    try {
      browser.close();
    } finally {
      playwright.close();
    }
  }
}
