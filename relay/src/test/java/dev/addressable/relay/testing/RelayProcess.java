package dev.addressable.relay.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real relay in a JVM of its own ({@code dev.addressable.relay.Main} on this test's class path),
 * for what a test cannot do to a relay inside its own JVM: a small heap, a crash, an exit code,
 * file descriptors and sockets counted from {@code /proc}. Loopback only; stopped by its PID.
 */
public final class RelayProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

  private final Process process;
  private final int port;
  private final ConcurrentLinkedQueue<String> output;

  private RelayProcess(Process process, int port, ConcurrentLinkedQueue<String> output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  /**
   * Starts a relay on a free port with its own data directory and waits until it listens.
   *
   * @param jvm JVM options, e.g. {@code -Xmx64m}
   * @param args relay options beyond {@code --port}, {@code --host} and {@code --data-dir}
   */
  public static RelayProcess start(List<String> jvm, String... args) {
    try {
      Path dataDir = Files.createTempDirectory("addressable-process");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvm);
      command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info"); // the test class path's logging says warn
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.addressable.relay.Main",
          "--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir.toString()));
      command.addAll(List.of(args));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
      CompletableFuture<Integer> port = new CompletableFuture<>();
      Thread reader = new Thread(() -> read(process, output, port), "relay-process-output");
      reader.setDaemon(true);
      reader.start();
      try {
        return new RelayProcess(process, port.get(30, TimeUnit.SECONDS), output);
      } catch (Exception e) {
        process.destroyForcibly();
        throw new AssertionError("the relay did not start: " + String.join("\n", output), e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void read(Process process, ConcurrentLinkedQueue<String> output, CompletableFuture<Integer> port) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (output.size() < 2_000) {
          output.add(line);
        }
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      // the process ended
    }
    port.completeExceptionally(new IllegalStateException("the relay exited before it listened"));
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public String base() {
    return "http://127.0.0.1:" + port;
  }

  public RelayClient client() {
    return new RelayClient(base());
  }

  /** What the relay printed so far (its log and any fatal message), one line each. */
  public String output() {
    return String.join("\n", output);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits up to {@code seconds} for the process to exit; its exit status, or -1 if it is still running. */
  public int awaitExit(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  /** Open file descriptors of the relay process, from {@code /proc}. */
  public int openFiles() throws IOException {
    try (var files = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
      return (int) files.count();
    }
  }

  /** Stops the relay: SIGTERM, then SIGKILL after 10 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
