package dev.addressable.relay.config;

import java.nio.file.Path;

/**
 * Where and how the relay listens.
 *
 * @param publicUrl base of the addresses the relay hands out, without a trailing slash; empty
 *     means "the scheme and Host of each request"
 * @param selectors Jetty selector threads, which also serve polls and {@code GET} sends; 0 means
 *     half the cores, at least one ({@link #halfTheCores})
 */
public record ServerConfig(
    int port, String host, Path dataDir, String publicUrl, int maxUrlLength, int maxThreads, int selectors) {

  public ServerConfig withPort(int port) {
    return new ServerConfig(port, host, dataDir, publicUrl, maxUrlLength, maxThreads, selectors);
  }

  public ServerConfig withDataDir(Path dataDir) {
    return new ServerConfig(port, host, dataDir, publicUrl, maxUrlLength, maxThreads, selectors);
  }

  public ServerConfig withSelectors(int selectors) {
    return new ServerConfig(port, host, dataDir, publicUrl, maxUrlLength, maxThreads, selectors);
  }

  /** How many selector threads to run: {@link #selectors}, or {@link #halfTheCores} when it is 0. */
  public int selectorThreads() {
    return selectors > 0 ? selectors : halfTheCores(Runtime.getRuntime().availableProcessors());
  }

  /**
   * The default number of selector threads: half the cores, at least one (Jetty's own rule). The
   * other cores are left to the kernel's network work, the JIT, the collector, the worker pool and
   * whatever shares the machine. On the benchmark's two cores, shared with the load generator, one
   * selector instead of two gave a lower latency p99 and p99.9 and a faster fan-out to 10,000 tabs,
   * and 20–45% fewer messages a second in a flood on four connections (docs/BENCHMARKS.md).
   */
  public static int halfTheCores(int cores) {
    return Math.max(1, cores / 2);
  }
}
