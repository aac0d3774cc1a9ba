package dev.addressable.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.TestRelay;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OpsTest {

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
  void idleChannelsAreDroppedAndTheirAddressAnswers404UntilTheTabReconnects() throws Exception {
    try (TestRelay relay = TestRelay.start(c -> c.withInbox(c.inbox().withIdleExpiry(Duration.ofSeconds(1))))) {
      RelayClient http = relay.client();
      Connection c = http.connect();
      assertEquals(202, http.sendGet(c.url(), "still here").status());
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (http.sendGet(c.url(), "ping").status() != 404) {
        assertTrue(System.nanoTime() < deadline, "channel never expired");
        Thread.sleep(100);
      }
      assertTrue(metric(http.get("/metrics").body(), "addressable_channels_expired_total") >= 1);
      http.connect(c, c.channel());
      assertEquals(202, http.sendGet(c.url(), "back").status());
    }
  }

  @Test
  void aParkedPollKeepsItsChannelAlivePastTheIdleExpiry() throws Exception {
    try (TestRelay relay = TestRelay.start(c -> c.withInbox(c.inbox().withIdleExpiry(Duration.ofSeconds(1))))) {
      RelayClient http = relay.client();
      Connection c = http.connect();
      var poll = http.pollAsync(c, c.cursor(), 3);
      Answer answer = poll.join();
      assertEquals(200, answer.status());
      assertEquals(202, http.sendGet(c.url(), "the poll just ended").status(), "the channel outlived a 3 s poll");
    }
  }
}
