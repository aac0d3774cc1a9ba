package dev.addressable.bench.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One child process of the chaos run (redis-server or a relay) on a fixed loopback port: started
 * with the same command every time, its output appended to one log. {@link #kill9} is SIGKILL to
 * this process's pid only; {@link #stop} is SIGTERM, then SIGKILL after 10 s. Every node still
 * running when the JVM exits is killed by a shutdown hook. Driven by one thread at a time.
 */
final class Node {

  private static final List<Node> ALL = new ArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      synchronized (ALL) {
        ALL.forEach(n -> {
          Process p = n.process;
          if (p != null) {
            p.destroyForcibly();
          }
        });
      }
    }, "chaos-nodes-kill"));
  }

  final String name;
  final int port;
  final Path log;
  private final List<String> command;
  private final BooleanSupplier ready;
  private volatile Process process;

  /**
   * @param ready whether the started process serves (asked every 100 ms until it does)
   */
  Node(String name, int port, List<String> command, Path log, BooleanSupplier ready) {
    this.name = name;
    this.port = port;
    this.command = List.copyOf(command);
    this.log = log;
    this.ready = ready;
    synchronized (ALL) {
      ALL.add(this);
    }
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  /**
   * Starts the process and waits up to {@code seconds} until it is ready.
   *
   * @throws IOException naming the node and the tail of its log when it exits or is not ready in time
   */
  void start(int seconds) throws IOException, InterruptedException {
    launch();
    awaitReady(seconds);
  }

  /** Starts the process without waiting for it (several nodes start side by side, then {@link #awaitReady}). */
  void launch() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = pb.start();
  }

  /** Waits up to {@code seconds} until the launched process is ready; as {@link #start} when it is not. */
  void awaitReady(int seconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(name + " exited at start with status " + process.exitValue() + "; its log ends:\n" + tail(20));
      }
      if (ready.getAsBoolean()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IOException(name + " was not ready within " + seconds + " s; its log ends:\n" + tail(20));
  }

  boolean alive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL, then waits until the process is gone. */
  void kill9() throws InterruptedException {
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM, SIGKILL after 10 s. */
  void stop() throws InterruptedException {
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  /** The last {@code lines} lines of the log. */
  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** A port nothing listens on now (the kernel's choice; a start that loses a race says so). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Whether GET {@code path} answers 200 on 127.0.0.1:{@code port} within 1 s. */
  static boolean answers200(int port, String path) {
    try {
      return RawHttp.get(new InetSocketAddress("127.0.0.1", port), path, Map.of(), 1000).status() == 200;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
