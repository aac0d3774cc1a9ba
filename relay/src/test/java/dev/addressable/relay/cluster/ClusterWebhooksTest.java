package dev.addressable.relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.config.ClusterConfig;
import dev.addressable.relay.config.Options;
import dev.addressable.relay.testing.RedisServerExtension;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.TempDirs;
import dev.addressable.relay.testing.TestRelay;
import dev.addressable.relay.testing.WebhookEvents;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhooks of two relays sharing one Redis, as an app hears them: a tab connected through one and
 * polling through the other is online once, offline once after the grace period, and a message
 * nobody read is reported when it expires; each event signed, with the id of its stream entry,
 * and none twice although both relays have the webhook. Real time: a grace of one second.
 */
@Timeout(60)
class ClusterWebhooksTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private static ClusterConfig cluster(String name) {
    return Options.parse(new String[] {"--redis", redis.uri(), "--node-id", name}, Map.of()).cluster().orElseThrow();
  }

  private static TestRelay relay(Path shared, MockWebServer hook, String name) {
    return TestRelay.start(shared, c -> c.withCluster(cluster(name))
        .withPresence(c.presence().withGrace(Duration.ofSeconds(1))
            .withWebhook(URI.create(hook.url("/events").toString()), "hook-secret")));
  }

  @Test
  void eachEventReachesTheAppOnceFromWhicheverRelayReaps() throws Exception {
    redis.command("FLUSHALL");
    Path shared = Files.createTempDirectory("addressable-cluster-webhooks");
    try (MockWebServer hook = new MockWebServer()) {
      for (int i = 0; i < 20; i++) {
        hook.enqueue(new MockResponse.Builder().code(204).build());
      }
      hook.start(0);
      try (TestRelay a = relay(shared, hook, "relay-a"); TestRelay b = relay(shared, hook, "relay-b")) {
        Connection c = a.client().connect();
        JsonNode online = WebhookEvents.next(hook, "hook-secret");
        assertEquals("channel.online", online.get("type").asText());
        assertEquals(c.client(), online.get("client").asText());
        assertEquals(c.channel(), online.get("channel").asText());

        RelayClient.Answer polled = b.client().poll(c, c.cursor(), 1);
        assertEquals(200, polled.status(), "an empty answer at its timeout, past the grace: " + polled.body());
        assertEquals(202, a.client().get(c.url() + "?ttl=1&message=nobody").status());
        Set<String> types = new HashSet<>();
        Set<String> ids = new HashSet<>();
        ids.add(online.get("id").asText());
        for (int i = 0; i < 2; i++) {
          JsonNode next = WebhookEvents.next(hook, "hook-secret");
          types.add(next.get("type").asText());
          assertTrue(ids.add(next.get("id").asText()), "a fresh id: " + next);
          if (next.get("type").asText().equals("message.expired")) {
            assertEquals(1, next.get("seq").asLong());
            assertEquals("expired", next.get("reason").asText());
          }
        }
        assertEquals(Set.of("channel.offline", "message.expired"), types);
        assertNull(hook.takeRequest(2, TimeUnit.SECONDS), "no event twice, though both relays have the webhook");
      }
    } finally {
      TempDirs.delete(shared);
    }
  }

}
