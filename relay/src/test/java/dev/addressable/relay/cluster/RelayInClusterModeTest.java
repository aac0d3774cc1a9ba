package dev.addressable.relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.config.ClusterConfig;
import dev.addressable.relay.config.Options;
import dev.addressable.relay.config.StartupException;
import dev.addressable.relay.testing.RedisServer;
import dev.addressable.relay.testing.RedisServerExtension;
import dev.addressable.relay.testing.RelayProcess;
import dev.addressable.relay.testing.TempDirs;
import dev.addressable.relay.testing.TestRelay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A relay started with {@code --redis}: it joins Redis before it listens, or does not start. */
@Timeout(60)
class RelayInClusterModeTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @BeforeEach
  void emptyRedis() {
    redis.command("FLUSHALL");
  }

  private static ClusterConfig cluster(String name) {
    return Options.parse(new String[] {"--redis", redis.uri(), "--node-id", name}, Map.of()).cluster().orElseThrow();
  }

  @Test
  void relaysSharingASecretJoinOneRedisAndServe() throws Exception {
    Path shared = Files.createTempDirectory("addressable-cluster");
    try (TestRelay a = TestRelay.start(shared, c -> c.withCluster(cluster("relay-a")));
        TestRelay b = TestRelay.start(shared, c -> c.withCluster(cluster("relay-b")))) {
      String clients = redis.command("CLIENT", "LIST");
      assertTrue(clients.contains("name=relay-relay-a-") && clients.contains("name=relay-relay-b-"), clients);
      assertEquals(200, a.client().get("/health").status());
      assertEquals(200, b.client().get("/health").status());
    } finally {
      TempDirs.delete(shared);
    }
  }

  @Test
  void aRelayProcessWithAnotherSecretExitsWithTheReasonAndNoStackTrace() {
    try (TestRelay a = TestRelay.start(c -> c.withCluster(cluster("relay-a")))) {
      AssertionError failed = assertThrows(AssertionError.class,
          () -> RelayProcess.start(List.of("-Xmx64m"), "--redis", redis.uri()).close());
      String output = failed.getMessage();
      assertTrue(output.contains("addressable: the relays already using Redis at " + redis.uri()), output);
      assertTrue(!output.contains("\tat ") && !output.contains("Exception"), output);
    }
  }

  @Test
  void aRelayStartedBeforeItsRedisWaitsForIt() throws Exception {
    try (RedisServer late = RedisServer.start()) {
      late.stop(); // its port is known and nothing listens on it yet
      ClusterConfig config = Options.parse(new String[] {"--redis", late.uri(), "--node-id", "early"}, Map.of())
          .cluster().orElseThrow();
      CompletableFuture<TestRelay> starting = CompletableFuture.supplyAsync(() -> TestRelay.start(c -> c.withCluster(config)));
      Thread.sleep(1_500);
      assertFalse(starting.isDone(), "still waiting for Redis: " + starting);
      late.restart();
      try (TestRelay relay = starting.get(30, TimeUnit.SECONDS)) {
        assertEquals(200, relay.client().get("/health").status());
      }
    }
  }

  @Test
  void aRelayWithAnotherSecretDoesNotStart() {
    try (TestRelay a = TestRelay.start(c -> c.withCluster(cluster("relay-a")))) {
      StartupException refused = assertThrows(StartupException.class,
          () -> TestRelay.start(c -> c.withCluster(cluster("relay-b"))).close());
      assertTrue(refused.getMessage().contains("another relay secret"), refused.getMessage());
      assertEquals(200, a.client().get("/health").status());
    }
  }
}
