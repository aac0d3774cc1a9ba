package dev.addressable.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.TestRelay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OpsTest {

  /** An idle expiry the tests pass by moving the relay's clock on, never by waiting. */
  private static final Duration IDLE = Duration.ofSeconds(60);

  private static long metric(String text, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(text);
    assertTrue(m.find(), name + " missing from\n" + text);
    return Long.parseLong(m.group(1));
  }

  @Test
  void metricsCountWhatHappened() {
    try (TestRelay relay = TestRelay.start()) {
      RelayClient http = relay.client();
      Connection c = http.connect();
      http.sendGet(c.url(), "a");
      http.sendGet(c.url(), "b");
      http.poll(c, c.cursor(), 0);
      http.get(c.url());
      Answer metrics = http.get("/metrics");
      assertEquals(200, metrics.status());
      assertTrue(metrics.header("Content-Type").startsWith("text/plain"));
      String text = metrics.body();
      assertEquals(2, metric(text, "addressable_messages_sent_total"));
      assertEquals(2, metric(text, "addressable_messages_delivered_total"));
      assertEquals(1, metric(text, "addressable_channels_live"));
      assertEquals(0, metric(text, "addressable_parked_requests"));
      assertEquals(1, metric(text, "addressable_errors_total"));
      assertTrue(text.contains("# TYPE addressable_messages_expired_total counter"));
      Answer health = http.get("/health");
      assertEquals("ok", health.json().get("status").asText());
    }
  }

  @Test
  void aSendToManyTabsCountsOneMessagePerInbox() {
    try (TestRelay relay = TestRelay.start()) {
      RelayClient http = relay.client();
      Connection first = http.connect();
      int tabs = 200; // past the 64 tabs up to which a client-wide send wakes them inline
      for (int i = 1; i < tabs; i++) {
        http.connect(first, "tab" + i);
      }
      assertEquals(202, http.sendGet(first.clientUrl(), "to all").status());
      assertEquals(tabs, metric(http.get("/metrics").body(), "addressable_messages_sent_total"));
    }
  }

  @Test
  void idleChannelsAreDroppedAndTheirAddressAnswers404UntilTheTabReconnects() {
    try (TestRelay relay = TestRelay.start(c -> c.withInbox(c.inbox().withIdleExpiry(IDLE)))) {
      RelayClient http = relay.client();
      Connection c = http.connect();
      assertEquals(202, http.sendGet(c.url(), "still here").status());
      relay.clock().advance(IDLE.plusSeconds(1));
      relay.sweep();
      Answer ping = http.sendGet(c.url(), "ping");
      assertEquals(404, ping.status(), "dropped once idle past the expiry: " + ping.body());
      assertEquals(1, metric(http.get("/metrics").body(), "addressable_channels_expired_total"));
      http.connect(c, c.channel());
      assertEquals(202, http.sendGet(c.url(), "back").status());
    }
  }

  @Test
  void aParkedPollKeepsItsChannelAlivePastTheIdleExpiry() throws Exception {
    try (TestRelay relay = TestRelay.start(c -> c.withInbox(c.inbox().withIdleExpiry(IDLE)))) {
      RelayClient http = relay.client();
      Connection c = http.connect();
      var poll = http.pollAsync(c, c.cursor(), 30);
      // Parked is not yet held: a sweep between joining the waiting list and taking the lease may drop the channel.
      Await.until("the poll holds its channel", Duration.ofSeconds(5), () -> relay.holds(c.client(), c.channel()));
      relay.clock().advance(IDLE.plusSeconds(1));
      relay.sweep();
      assertEquals(202, http.sendGet(c.url(), "past the idle expiry").status(), "the parked poll kept the channel");
      Answer answer = poll.get(5, TimeUnit.SECONDS);
      assertEquals(200, answer.status());
      assertEquals("past the idle expiry", answer.json().get("messages").get(0).get("data").asText(), answer.body());
      relay.sweep();
      assertEquals(202, http.sendGet(c.url(), "the poll just ended").status(), "the poll's end counts as seen");
    }
  }
}
