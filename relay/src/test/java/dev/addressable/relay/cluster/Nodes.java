package dev.addressable.relay.cluster;

import dev.addressable.relay.config.ClusterConfig;
import dev.addressable.relay.config.Options;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.testing.RedisServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Cluster nodes for one test, on a real Redis: started with the relay's own option parsing and
 * closed, with their executor, when the test ends ({@code try (Nodes nodes = new Nodes(redis))}).
 */
final class Nodes implements AutoCloseable {

  /** A relay secret of 32 bytes of {@code seed}: equal seeds, equal secrets. */
  static KeyRing secret(int seed) {
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) seed);
    return new KeyRing(secret);
  }

  private final RedisServer redis;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final List<ClusterNode> started = new ArrayList<>();

  Nodes(RedisServer redis) {
    this.redis = redis;
  }

  /** The settings of a node named {@code name} on this Redis, with more flags if given. */
  ClusterConfig config(String name, String... flags) {
    String[] args = Stream.concat(Stream.of("--redis", redis.uri(), "--node-id", name), Stream.of(flags))
        .toArray(String[]::new);
    return Options.parse(args, Map.of()).cluster().orElseThrow();
  }

  /** A node named {@code name} with the relay secret of seed 1. */
  ClusterNode start(String name, String... flags) {
    return start(config(name, flags), secret(1));
  }

  ClusterNode start(ClusterConfig config, KeyRing keys) {
    ClusterNode node = ClusterNode.start(config, keys, executor);
    started.add(node);
    return node;
  }

  ExecutorService executor() {
    return executor;
  }

  /** The incarnation hash as Redis holds it: {@code HGET key field}. */
  String inc(String field) {
    return redis.command("HGET", "ar:{g}:inc", field);
  }

  @Override
  public void close() throws InterruptedException {
    started.forEach(ClusterNode::close);
    executor.shutdown();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
