package dev.addressable.relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.config.ClusterConfig;
import dev.addressable.relay.config.Options;
import dev.addressable.relay.testing.RedisServerExtension;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.TempDirs;
import dev.addressable.relay.testing.TestRelay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis full (CLUSTER.md sections 8 and 9): with {@code maxmemory} below what Redis uses and
 * {@code noeviction}, sends through one relay get 503 {@code overloaded}, and receivers at the
 * other still read what was stored before, and go on waiting without 503s, until Redis has room again.
 */
@Timeout(120)
class RedisFullTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private static ClusterConfig cluster(String name) {
    return Options.parse(new String[] {"--redis", redis.uri(), "--node-id", name}, Map.of()).cluster().orElseThrow();
  }

  @Test
  void sendsAreRefusedAsOverloadedAndReadsGoOn() throws Exception {
    redis.command("FLUSHALL");
    Path shared = Files.createTempDirectory("addressable-redis-full");
    try (TestRelay a = TestRelay.start(shared, c -> c.withCluster(cluster("full-a")));
        TestRelay b = TestRelay.start(shared, c -> c.withCluster(cluster("full-b")))) {
      RelayClient toA = a.client();
      RelayClient toB = b.client();
      Connection c = toA.connect();
      assertEquals(202, toA.sendGet(c.url(), "stored before").status());
      assertEquals(202, toA.sendGet(c.url(), "stored too").status());
      redis.command("CONFIG", "SET", "maxmemory-policy", "noeviction");
      redis.command("CONFIG", "SET", "maxmemory", "1");
      try {
        Answer refused = toA.sendGet(c.url(), "no room");
        assertEquals(503, refused.status(), refused.body());
        assertEquals("overloaded", refused.json().get("error").asText());
        assertNotNull(refused.header("Retry-After"));

        Answer read = toB.poll(c, c.cursor(), 0);
        assertEquals(200, read.status(), read.body());
        assertEquals(List.of("stored before", "stored too"), data(read.json()));
        String end = read.json().get("cursor").asText();

        // A receiver at the end waits, without a lease, past the incarnation check (every 5 s).
        Answer waited = toB.poll(c, end, 7);
        assertEquals(200, waited.status(), waited.body());
        assertEquals(List.of(), data(waited.json()));
        assertEquals(200, toB.get("/health").status(), "a full Redis is not a down store");
        assertEquals(503, toA.sendGet(c.url(), "still no room").status());

        redis.command("CONFIG", "SET", "maxmemory", "0");
        assertEquals(202, toA.sendGet(c.url(), "room again").status());
        assertEquals(List.of("room again"), data(toB.poll(c, end, 5).json()));
      } finally {
        redis.command("CONFIG", "SET", "maxmemory", "0");
      }
    } finally {
      TempDirs.delete(shared);
    }
  }

  private static List<String> data(JsonNode answer) {
    List<String> out = new ArrayList<>();
    answer.get("messages").forEach(m -> out.add(m.get("data").asText()));
    return out;
  }
}
