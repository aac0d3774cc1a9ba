package dev.addressable.relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.addressable.relay.config.Options;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RedisServerExtension;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.TestRelay;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /health} of a relay in cluster mode follows its store: 503 {@code "store":"down"} while Redis is gone. */
@Timeout(60)
class ClusterHealthTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void healthSaysTheStoreIsDownWhileRedisIsGoneAndUpWhenItIsBack() throws Exception {
    var cluster = Options.parse(new String[] {"--redis", redis.uri(), "--node-id", "health"}, Map.of()).cluster().orElseThrow();
    try (TestRelay relay = TestRelay.start(c -> c.withCluster(cluster))) {
      RelayClient http = relay.client();
      assertEquals(200, http.get("/health").status());
      redis.server().stop();
      Await.until("/health says the store is down", Duration.ofSeconds(5), () -> {
        RelayClient.Answer health = http.get("/health");
        return health.status() == 503 && "down".equals(health.json().path("store").asText());
      });
      redis.server().restart();
      Await.until("/health is 200 again", Duration.ofSeconds(20), () -> http.get("/health").status() == 200);
    }
  }
}
