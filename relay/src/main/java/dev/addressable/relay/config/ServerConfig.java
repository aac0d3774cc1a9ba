package dev.addressable.relay.config;

import java.nio.file.Path;

/**
 * Where and how the relay listens.
 *
 * @param publicUrl base of the addresses the relay hands out, without a trailing slash; empty
 *     means "the scheme and Host of each request"
 * @param selectors Jetty selector threads, which also serve polls and {@code GET} sends; 0 means
 *     one per core
 * @param reusePort whether the listening socket is bound with {@code SO_REUSEPORT}, so that
 *     several relay processes (of one user, each with this set) share one port and the kernel
 *     spreads new connections over them
 */
public record ServerConfig(
    int port, String host, Path dataDir, String publicUrl, int maxUrlLength, int maxThreads, int selectors,
    boolean reusePort) {

  public ServerConfig withPort(int port) {
    return new ServerConfig(port, host, dataDir, publicUrl, maxUrlLength, maxThreads, selectors, reusePort);
  }

  public ServerConfig withDataDir(Path dataDir) {
    return new ServerConfig(port, host, dataDir, publicUrl, maxUrlLength, maxThreads, selectors, reusePort);
  }

  public ServerConfig withSelectors(int selectors) {
    return new ServerConfig(port, host, dataDir, publicUrl, maxUrlLength, maxThreads, selectors, reusePort);
  }

  public ServerConfig withReusePort(boolean reusePort) {
    return new ServerConfig(port, host, dataDir, publicUrl, maxUrlLength, maxThreads, selectors, reusePort);
  }

  /** How many selector threads to run: {@link #selectors}, or one per core when it is 0. */
  public int selectorThreads() {
    return selectors > 0 ? selectors : Math.max(1, Runtime.getRuntime().availableProcessors());
  }
}
