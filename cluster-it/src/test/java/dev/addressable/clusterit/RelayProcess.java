package dev.addressable.clusterit;

import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.ChildProcesses;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.Sockets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A relay as production runs it: {@code java -Xmx128m -jar relay/target/relay.jar}, the shaded jar
 * the reactor built before this module, in a JVM of its own on a free loopback port. One node of a
 * cluster test: a test can crash it ({@link #kill9}), stop it in order ({@link #stop}), freeze it
 * ({@link #pause}) and send it requests ({@link #client}). Unlike the relay module's
 * {@code testing.RelayProcess}, which runs {@code Main} from the test class path, this tests the
 * artifact that ships.
 *
 * <p>Its output (stdout and stderr) goes to {@code target/cluster-it/<name>-…/relay.log}, printed
 * in part when a start fails; its data directory sits beside it. Signals go to its PID only; a
 * JVM shutdown hook kills it if a test did not ({@link ChildProcesses}). Not thread-safe.
 *
 * <pre>{@code
 * try (RelayProcess a = RelayProcess.named("a").args("--redis", redis.uri()).start()) {
 *   a.client().connect();
 * }
 * }</pre>
 */
public final class RelayProcess implements AutoCloseable {

  /** JVM start and relay start together, on a busy two-core machine. */
  private static final Duration START = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;
  private final List<String> command;

  private RelayProcess(String name, Process process, int port, Path log, List<String> command) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
    this.command = command;
  }

  /** How to launch one relay; {@code name} labels its directory and failures ("a", "b", …). */
  public static Launch named(String name) {
    return new Launch(name);
  }

  /**
   * The relay jar: {@code -Daddressable.relay.jar} (this module's Surefire sets it), else
   * {@code ../relay/target/relay.jar} from the working directory.
   */
  public static Path defaultJar() {
    return Path.of(System.getProperty("addressable.relay.jar", "../relay/target/relay.jar")).toAbsolutePath().normalize();
  }

  /** What {@link #start} needs to know; each setter returns this. */
  public static final class Launch {
    private final String name;
    private final List<String> args = new ArrayList<>();
    private final List<String> jvm = new ArrayList<>(List.of("-Xmx128m"));
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path jar = defaultJar();

    private Launch(String name) {
      this.name = name;
    }

    /** Relay options beyond {@code --port}, {@code --host} and {@code --data-dir}, e.g. {@code --redis uri}. */
    public Launch args(String... more) {
      args.addAll(List.of(more));
      return this;
    }

    /** JVM options after {@code -Xmx128m} (a later {@code -Xmx} wins). */
    public Launch jvm(String... more) {
      jvm.addAll(List.of(more));
      return this;
    }

    /** An environment variable of the relay, e.g. {@code ADDRESSABLE_INBOX_AGE}. */
    public Launch env(String key, String value) {
      env.put(key, value);
      return this;
    }

    public Launch jar(Path relayJar) {
      jar = relayJar;
      return this;
    }

    /**
     * Starts the relay and waits until {@code GET /health} answers 200.
     *
     * @throws AssertionError if the jar is missing, or the relay exited or did not answer in
     *     time (with the tail of its output)
     */
    public RelayProcess start() {
      if (!Files.isReadable(jar)) {
        throw new AssertionError("relay jar not found at " + jar + ": build it first (mvn -B -ntp -pl cluster-it -am verify"
            + " packages the relay before these tests)");
      }
      return RelayProcess.start(this);
    }
  }

  private static RelayProcess start(Launch launch) {
    for (int attempt = 1; ; attempt++) {
      RelayProcess relay = launch(launch);
      try {
        relay.awaitHealthy();
        return relay;
      } catch (AssertionError e) {
        // Another process may have taken the free port between the probe and the relay's bind.
        if (attempt == 3 || relay.isAlive() || !relay.logTail(40).contains("Address already in use")) {
          throw e;
        }
      }
    }
  }

  private static RelayProcess launch(Launch launch) {
    Path dir;
    try {
      Path root = Files.createDirectories(Path.of(System.getProperty("addressable.it.dir", "target/cluster-it")));
      dir = Files.createTempDirectory(root, launch.name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path log = dir.resolve("relay.log");
    int port = Sockets.freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(launch.jvm);
    command.addAll(List.of("-jar", launch.jar.toString(), "--port", Integer.toString(port), "--host", "127.0.0.1",
        "--data-dir", dir.resolve("data").toString()));
    command.addAll(launch.args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(launch.env);
    return new RelayProcess(launch.name, ChildProcesses.start(builder), port, log, command);
  }

  private void awaitHealthy() {
    String state;
    try {
      state = Await.value("relay " + name + " answering /health on port " + port, START, () -> {
        if (!process.isAlive()) {
          return "exited with status " + process.exitValue();
        }
        return "HTTP " + health(Duration.ofSeconds(2));
      }, s -> s.equals("HTTP 200") || s.startsWith("exited"));
    } catch (AssertionError e) {
      ChildProcesses.kill9(process);
      throw new AssertionError(e.getMessage() + "\n" + startFailure(), e);
    }
    if (!state.equals("HTTP 200")) {
      throw new AssertionError("relay " + name + " " + state + " before answering /health\n" + startFailure());
    }
  }

  private String startFailure() {
    return "command: " + String.join(" ", command) + "\nlast lines of " + log + ":\n" + ChildProcesses.tail(log, 40);
  }

  /**
   * The status of one {@code GET /health}, waiting at most {@code timeout}.
   *
   * @throws IOException if there is no answer in time (a paused or dead relay)
   */
  public int health(Duration timeout) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/health")).timeout(timeout).build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String base() {
    return "http://127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  /** A client of this relay (RelayClient's timeouts: 30 s per request). */
  public RelayClient client() {
    return new RelayClient(base());
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The relay's output so far: stdout and stderr, one file. */
  public Path log() {
    return log;
  }

  /** The last {@code lines} lines of {@link #log}. */
  public String logTail(int lines) {
    return ChildProcesses.tail(log, lines);
  }

  /** SIGKILL, and waits until the process is gone: a crash, no shutdown hook runs. */
  public void kill9() {
    ChildProcesses.kill9(process);
  }

  /**
   * SIGTERM, so the relay's shutdown hook closes it in order, then waits for the exit (SIGKILL
   * after {@link ChildProcesses#GRACE}). Returns the exit status; 143 is an orderly SIGTERM exit.
   */
  public int stop() {
    return ChildProcesses.terminate(process);
  }

  /** SIGSTOP: the relay freezes, its connections stay open, requests get no answer. */
  public void pause() {
    ChildProcesses.pause(process);
  }

  /** SIGCONT. */
  public void resume() {
    ChildProcesses.resume(process);
  }

  /** {@link #stop}; the directory stays under {@code target/} for a look after a failure. */
  @Override
  public void close() {
    stop();
  }
}
