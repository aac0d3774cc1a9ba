package dev.addressable.relay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code redis-server} as a child process on a free loopback port, with a directory of
 * its own, for the cluster-mode tests (CLUSTER.md §2, §10). A real server, so a test can do to it
 * what production will: kill it, restart it with or without its append-only file, freeze it,
 * fill it. Without {@code redis-server} a test fails, naming the package to install; it is never
 * skipped, so CI cannot pass without having run the Redis tests.
 *
 * <p>Lifecycle: {@link #start} returns once the server answers {@code PING}; {@link #restart}
 * brings it back on the same port with the same directory and options, once it has loaded its
 * data; {@link #close} stops it and deletes the directory. Signals go to this server's PID only.
 * Not thread-safe: one test drives it.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start(RedisOptions.defaults().persistence(Persistence.ALWAYS))) {
 *   redis.command("SET", "k", "v");
 *   redis.kill9();
 *   redis.restart();
 *   assertEquals("v", redis.command("GET", "k"));
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {

  /** How long a start or restart may take, loading included. */
  private static final Duration START = Duration.ofSeconds(30);
  private static final int BIND_ATTEMPTS = 3;

  private final RedisOptions options;
  private final Path dir;
  private final int port;
  private Process process;

  private RedisServer(RedisOptions options, Path dir, int port) {
    this.options = options;
    this.dir = dir;
    this.port = port;
  }

  /** Starts a server with the defaults: no persistence, no memory limit. */
  public static RedisServer start() {
    return start(RedisOptions.defaults());
  }

  /**
   * Starts a server with {@code options} on a free port and waits until it answers {@code PING}.
   *
   * @throws AssertionError if {@code redis-server} is missing, or did not come up (with its log)
   */
  public static RedisServer start(RedisOptions options) {
    if (!Files.isExecutable(options.binary())) {
      throw new AssertionError("redis-server not found at " + options.binary()
          + ": apt-get install -y redis-server; .ci/run installs it");
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("addressable-redis");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    AssertionError failure = null;
    for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
      RedisServer server = new RedisServer(options, dir, Sockets.freePort());
      try {
        server.launch();
        return server;
      } catch (AssertionError e) {
        failure = e;
        if (!server.log().contains("Address already in use")) {
          break; // not a lost race for the port: trying again would fail the same way
        }
      }
    }
    TempDirs.delete(dir);
    throw failure;
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>}, as the relay's {@code --redis} takes it. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  public RedisOptions options() {
    return options;
  }

  /** The server's working directory: its append-only files and its log, {@code redis.log}. */
  public Path dir() {
    return dir;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Whether the server is frozen by {@link #pause}. */
  public boolean isPaused() {
    return process.isAlive() && ChildProcesses.isPaused(process);
  }

  /** What the server logged, over all its runs. */
  public String log() {
    return ChildProcesses.tail(dir.resolve("redis.log"), 200);
  }

  /**
   * One command on a fresh connection, answered within {@link RespClient#TIMEOUT}; see
   * {@link RespClient} for how answers read. An error answer is thrown as {@link RespClient.ErrorReply}.
   */
  public String command(String... args) {
    return RespClient.call(port, RespClient.TIMEOUT, args);
  }

  /** A connection of the test's own, e.g. to subscribe, or to watch a reply time out. */
  public RespClient connect(Duration timeout) {
    return RespClient.open(port, timeout);
  }

  /**
   * {@code SHUTDOWN NOSAVE} (the append-only file is still flushed and synced, as Redis does on
   * any shutdown), then waits for the process to exit; SIGTERM and at last SIGKILL if it does not.
   * A paused server is resumed first. Stopping a stopped server does nothing.
   */
  public void stop() {
    if (!process.isAlive()) {
      return;
    }
    if (isPaused()) {
      resume();
    }
    try {
      command("SHUTDOWN", "NOSAVE");
    } catch (RuntimeException e) {
      // the expected end: the server closes the connection without an answer
    }
    try {
      process.waitFor(ChildProcesses.GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ChildProcesses.terminate(process); // if SHUTDOWN did not end it: SIGTERM, then SIGKILL
  }

  /** SIGKILL: a crash. What the append-only file holds (if any) is all a restart gets back. */
  public void kill9() {
    ChildProcesses.kill9(process);
  }

  /**
   * Stops the server if it runs, then starts it again on the same port, in the same directory,
   * with the same options, and waits until it has loaded its data and answers {@code PING}.
   */
  public void restart() {
    stop();
    launch();
  }

  /** SIGSTOP: the server freezes; connections are still accepted by the kernel, nothing is answered. */
  public void pause() {
    ChildProcesses.pause(process);
  }

  /** SIGCONT: a paused server answers again, queued commands first. */
  public void resume() {
    ChildProcesses.resume(process);
  }

  /** Stops the server and deletes its directory. */
  @Override
  public void close() {
    try {
      if (process != null) {
        stop();
      }
    } finally {
      TempDirs.delete(dir);
    }
  }

  private void launch() {
    List<String> command = new ArrayList<>(List.of(options.binary().toString(),
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
        "--logfile", "redis.log", "--daemonize", "no"));
    command.addAll(options.toArgs());
    process = ChildProcesses.start(new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.out").toFile())));
    // PING fails with LOADING while the server reads its files: PONG means the data is back.
    String state;
    try {
      state = Await.value("redis-server on port " + port + " answering PING", START, () -> {
        if (!process.isAlive()) {
          return "exited with status " + process.exitValue();
        }
        return command("PING");
      }, s -> s.equals("PONG") || s.startsWith("exited"));
    } catch (AssertionError e) {
      ChildProcesses.kill9(process);
      throw new AssertionError(e.getMessage() + ": " + command + "\n" + log(), e);
    }
    if (!state.equals("PONG")) {
      throw new AssertionError("redis-server " + state + ": " + command + "\n" + log()
          + "\n" + ChildProcesses.tail(dir.resolve("redis.out"), 20));
    }
  }
}
