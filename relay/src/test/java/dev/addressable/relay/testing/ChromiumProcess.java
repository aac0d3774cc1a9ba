package dev.addressable.relay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's Chromium ({@link Chromium#PATH}) started by the test itself, headless, on a fresh
 * profile and a DevTools port of its own, with none of the flags Playwright's {@code launch} adds:
 * so background tabs are hidden, timers of hidden pages are throttled, pages can really be frozen,
 * and the back/forward cache works as in a user's browser. Attach to {@link #devToolsUrl()} with
 * Playwright's {@code connectOverCDP}.
 *
 * <p>{@link #close} stops this Chromium by its PID (SIGTERM, SIGKILL after {@link ChildProcesses#GRACE}),
 * then any of its child processes still alive, each by its PID, and deletes the profile; the JVM's
 * shutdown hook kills it if a test never gets there. Stderr goes to a file in the profile, whose
 * tail {@link #describe} gives for failure messages. Not thread-safe.
 */
public final class ChromiumProcess implements AutoCloseable {

  /** {@code --no-sandbox}: the tests run as root in a container, where Chromium's sandbox cannot start. */
  public static final List<String> ARGS = List.of("--headless", "--no-sandbox", "--no-first-run",
      "--remote-debugging-port=0");

  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final Duration START = Duration.ofSeconds(30);

  private final Process process;
  private final Path profile;
  private final Path log;
  private final String devToolsUrl;

  private ChromiumProcess(Process process, Path profile, Path log, String devToolsUrl) {
    this.process = process;
    this.profile = profile;
    this.log = log;
    this.devToolsUrl = devToolsUrl;
  }

  /**
   * Starts Chromium and waits (at most 30 s: a loaded machine) until it says where DevTools listens.
   *
   * @throws AssertionError if it exits or stays silent; it is stopped then
   */
  public static ChromiumProcess start() {
    Path profile;
    try {
      profile = Files.createTempDirectory("addressable-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path log = profile.resolve("chromium.log");
    List<String> command = new ArrayList<>();
    command.add(Chromium.PATH.toString());
    command.addAll(ARGS);
    command.add("--user-data-dir=" + profile.resolve("profile"));
    command.add("about:blank"); // else its first tab is the New Tab page, which made connecting take seconds
    Process process = ChildProcesses.start(new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()));
    try {
      String url = Await.value("Chromium (pid " + process.pid() + ") to print its DevTools URL", START,
          () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("exited with " + process.exitValue());
            }
            Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : null;
          }, u -> u != null);
      return new ChromiumProcess(process, profile, log, url);
    } catch (RuntimeException | AssertionError e) {
      stop(process);
      String tail = ChildProcesses.tail(log, 20);
      TempDirs.delete(profile);
      throw new AssertionError(e.getMessage() + "; its stderr:\n" + tail, e);
    }
  }

  /** {@code ws://127.0.0.1:<port>/devtools/browser/<id>}. */
  public String devToolsUrl() {
    return devToolsUrl;
  }

  public long pid() {
    return process.pid();
  }

  /** The PID and the last lines Chromium wrote to stderr. */
  public String describe() {
    return "Chromium pid " + process.pid() + ", stderr:\n" + ChildProcesses.tail(log, 15);
  }

  @Override
  public void close() {
    try {
      stop(process);
    } finally {
      TempDirs.delete(profile);
    }
  }

  /** The browser process first (it takes its renderers down), then whichever child outlived it. */
  private static void stop(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    ChildProcesses.terminate(process);
    for (ProcessHandle child : children) {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
  }
}
