package dev.addressable.relay.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.TestRelay;
import dev.addressable.relay.testing.WebhookEvents;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Online status through a poll cycle and the grace period, and after a leave, and the webhooks
 * that report it. The grace passes on the relay's clock, which the tests move on: no test sleeps
 * through it.
 */
@Timeout(60)
class PresenceTest {

  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final Duration PAST_GRACE = GRACE.plusSeconds(1);

  private static TestRelay relay(MockWebServer hook) {
    return TestRelay.start(c -> {
      var presence = c.presence().withGrace(GRACE);
      if (hook != null) {
        presence = presence.withWebhook(URI.create(hook.url("/events").toString()), "hook-secret");
      }
      return c.withPresence(presence);
    });
  }

  private static JsonNode status(RelayClient http, String path) {
    return http.get(path).json();
  }

  @Test
  void aChannelIsOnlineWhilePollingAndThroughTheGraceThenOffline() throws Exception {
    try (TestRelay relay = relay(null)) {
      RelayClient http = relay.client();
      Connection c = http.connect();
      String path = "/status/m/" + c.client() + "/" + c.channel();
      assertTrue(status(http, path).get("online").asBoolean(), "just connected");
      relay.clock().advance(PAST_GRACE);
      assertFalse(status(http, path).get("online").asBoolean(), "past the grace with nobody polling");
      long beforePoll = relay.clock().getAsLong();
      CompletableFuture<RelayClient.Answer> poll = http.pollAsync(c, c.cursor(), 1);
      Await.until("the poll parked", Duration.ofSeconds(5), () -> relay.hasReceiver(c.client(), c.channel()));
      JsonNode during = status(http, path);
      assertTrue(during.get("online").asBoolean(), "a parked poll is online, past the grace: " + during);
      assertEquals(200, poll.join().status(), "the poll's empty answer on its timeout");
      assertTrue(status(http, path).get("online").asBoolean(), "between two polls, within the grace");
      relay.clock().advance(PAST_GRACE);
      JsonNode after = status(http, path);
      assertFalse(after.get("online").asBoolean(), "offline once the grace is over: " + after);
      long lastSeen = after.get("lastSeen").asLong();
      assertTrue(lastSeen >= beforePoll && lastSeen <= relay.clock().getAsLong() - GRACE.toMillis(),
          "last seen when the poll ended: " + after + ", poll sent at " + beforePoll);
      assertEquals(after.toString(), status(http, "/m/" + c.client() + "/" + c.channel() + "/status").toString());
      JsonNode unknown = status(http, "/status/m/" + c.client() + "/never-connected");
      assertFalse(unknown.get("online").asBoolean());
      assertTrue(unknown.get("lastSeen").isNull());
      assertFalse(status(http, "/status/m/" + c.client()).get("online").asBoolean());
      assertEquals(status(http, "/status/m/" + c.client()).toString(), status(http, c.clientUrl() + "/status").toString(),
          "{clientUrl}/status is the client's status");
    }
  }

  @Test
  void webhooksTellOnlineOfflineAndUnreadExpiredMessagesSigned() throws Exception {
    try (MockWebServer hook = webhookReceiver()) {
      try (TestRelay relay = relay(hook)) {
        RelayClient http = relay.client();
        Connection c = http.connect();
        JsonNode online = WebhookEvents.next(hook, "hook-secret");
        assertEquals("channel.online", online.get("type").asText());
        assertEquals(c.client(), online.get("client").asText());
        assertEquals(c.channel(), online.get("channel").asText());

        http.get(c.url() + "?message=nobody+reads+this&ttl=1");
        relay.clock().advance(PAST_GRACE); // past the grace and the TTL
        relay.sweep();
        JsonNode next = WebhookEvents.next(hook, "hook-secret");
        JsonNode offline = next.get("type").asText().equals("channel.offline") ? next : WebhookEvents.next(hook, "hook-secret");
        assertEquals("channel.offline", offline.get("type").asText());
        JsonNode expired = next.get("type").asText().equals("message.expired") ? next : WebhookEvents.next(hook, "hook-secret");
        assertEquals("message.expired", expired.get("type").asText(), expired.toString());
        assertEquals(1, expired.get("seq").asLong());
        assertEquals(c.channel(), expired.get("channel").asText());
      }
    }
  }

  @Test
  void aLeaveTakesTheChannelOfflineAtOnceKeepsItsInboxAndTheWebhookHearsOfItOnce() throws Exception {
    try (MockWebServer hook = webhookReceiver()) {
      try (TestRelay relay = relay(hook)) {
        RelayClient http = relay.client();
        Connection c = http.connect();
        String path = "/status/m/" + c.client() + "/" + c.channel();
        assertEquals("channel.online", WebhookEvents.next(hook, "hook-secret").get("type").asText());
        http.sendGet(c.url(), "waits for the reload");

        RelayClient.Answer left = http.post("/leave", "application/x-www-form-urlencoded",
            "client=" + c.client() + "&channel=" + c.channel() + "&key=" + c.key()); // as navigator.sendBeacon posts it
        assertEquals(200, left.status(), left.body());
        assertEquals("{\"left\":true}", left.body());
        assertFalse(status(http, path).get("online").asBoolean(), "offline at once, within the grace");
        JsonNode offline = WebhookEvents.next(hook, "hook-secret");
        assertEquals("channel.offline", offline.get("type").asText());
        assertEquals(c.channel(), offline.get("channel").asText());

        http.connect(c, c.channel()); // the reloaded tab connects again
        assertTrue(status(http, path).get("online").asBoolean(), "back");
        assertEquals("channel.online", WebhookEvents.next(hook, "hook-secret").get("type").asText());
        RelayClient.Answer back = http.poll(c, c.cursor(), 0); // and reads on from its cursor
        assertEquals("waits for the reload", back.json().get("messages").get(0).get("data").asText());

        RelayClient.Answer never = http.post("/leave", "application/json", "{\"client\":\"" + c.client()
            + "\",\"channel\":\"never-connected\",\"key\":\"" + c.key() + "\"}");
        assertEquals(404, never.status(), never.body());
        assertEquals("unknown_address", never.json().get("error").asText());
        assertFalse(status(http, "/status/m/" + c.client() + "/never-connected").get("online").asBoolean());
        assertTrue(status(http, "/status/m/" + c.client() + "/never-connected").get("lastSeen").isNull(),
            "a leave never makes a channel live");
      }
    }
  }

  /** A webhook receiver answering 204 to the first ten events. */
  private static MockWebServer webhookReceiver() throws java.io.IOException {
    MockWebServer hook = new MockWebServer();
    for (int i = 0; i < 10; i++) {
      hook.enqueue(new MockResponse.Builder().code(204).build());
    }
    hook.start(0);
    return hook;
  }
}
