package dev.addressable.relay.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Cluster mode: several relays sharing their state in one Redis ({@code docs/operations.md}). Present
 * in {@link RelayConfig#cluster} only when {@code --redis} is given; read only by the cluster
 * package. {@link #toString} masks the URL's password.
 *
 * @param redis where Redis is; enables cluster mode
 * @param prefix put before every key and channel name, e.g. {@code ar:}
 * @param timeout how long a command may take before its outcome counts as unknown
 * @param durability whether a Redis restart keeps continuity ({@link Durability})
 * @param nodeName this node's readable name; a random suffix is added at every start, so a
 *     restarted node never inherits the leases of its former self
 * @param lease how long a stream's or topic's lease lasts without renewal
 * @param midWindow how long a sender's message id ({@code mid}) is remembered for de-duplication
 */
public record ClusterConfig(
    RedisUrl redis, String prefix, Duration timeout, Durability durability, String nodeName, Duration lease,
    Duration midWindow) {

  /** Whether a restart of Redis keeps what it had acknowledged. */
  public enum Durability {
    /** Ask Redis: continuous only with {@code appendonly yes} and {@code appendfsync always}. */
    AUTO,
    /** Trust that a restart loses nothing (where {@code CONFIG GET} is not allowed, say). */
    ALWAYS,
    /** Treat every restart as a loss (e.g. before restoring an older backup). */
    NONE
  }

  public ClusterConfig {
    Objects.requireNonNull(redis, "redis");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(nodeName, "nodeName");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }

  public ClusterConfig withPrefix(String prefix) {
    return new ClusterConfig(redis, prefix, timeout, durability, nodeName, lease, midWindow);
  }

  public ClusterConfig withTimeout(Duration timeout) {
    return new ClusterConfig(redis, prefix, timeout, durability, nodeName, lease, midWindow);
  }

  public ClusterConfig withDurability(Durability durability) {
    return new ClusterConfig(redis, prefix, timeout, durability, nodeName, lease, midWindow);
  }

  public ClusterConfig withNodeName(String nodeName) {
    return new ClusterConfig(redis, prefix, timeout, durability, nodeName, lease, midWindow);
  }
}
