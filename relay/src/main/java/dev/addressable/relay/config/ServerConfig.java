package dev.addressable.relay.config;

import java.nio.file.Path;

/**
 * Where and how the relay listens.
 *
 * @param publicUrl base of the addresses the relay hands out, without a trailing slash; empty
 *     means "the scheme and Host of each request"
 */
public record ServerConfig(
    int port, String host, Path dataDir, String publicUrl, int maxUrlLength, int maxThreads) {

  public ServerConfig withPort(int port) {
    return new ServerConfig(port, host, dataDir, publicUrl, maxUrlLength, maxThreads);
  }

  public ServerConfig withDataDir(Path dataDir) {
    return new ServerConfig(port, host, dataDir, publicUrl, maxUrlLength, maxThreads);
  }
}
