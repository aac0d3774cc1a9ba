package dev.addressable.relay.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.TestRelay;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every name a running relay exposed at {@code /metrics} before it used Micrometer is still
 * there, byte for byte, with its type and an integer value: tests, the bench tools and operators'
 * scrapers read them so.
 */
@Timeout(30)
class MetricNamesTest {

  /** Each name exposed by the relay of commit 909425a, and its type then. */
  private static final Map<String, String> BEFORE = Map.ofEntries(
      Map.entry("addressable_messages_sent_total", "counter"),
      Map.entry("addressable_messages_delivered_total", "counter"),
      Map.entry("addressable_messages_expired_total", "counter"),
      Map.entry("addressable_messages_evicted_total", "counter"),
      Map.entry("addressable_polls_answered_total", "counter"),
      Map.entry("addressable_connects_total", "counter"),
      Map.entry("addressable_http_fast_requests_total", "counter"),
      Map.entry("addressable_http_handovers_total", "counter"),
      Map.entry("addressable_hangups_total", "counter"),
      Map.entry("addressable_header_timeouts_total", "counter"),
      Map.entry("addressable_channels_expired_total", "counter"),
      Map.entry("addressable_event_variables_set_total", "counter"),
      Map.entry("addressable_errors_total", "counter"),
      Map.entry("addressable_topic_publishes_total", "counter"),
      Map.entry("addressable_topic_fanout_total", "counter"),
      Map.entry("addressable_receipts_requested_total", "counter"),
      Map.entry("addressable_receipts_confirmed_total", "counter"),
      Map.entry("addressable_webhooks_sent_total", "counter"),
      Map.entry("addressable_webhooks_failed_total", "counter"),
      Map.entry("addressable_webhooks_dropped_total", "counter"),
      Map.entry("addressable_channels_live", "gauge"),
      Map.entry("addressable_parked_requests", "gauge"),
      Map.entry("addressable_topics", "gauge"),
      Map.entry("addressable_streams_open", "gauge"),
      Map.entry("addressable_event_variables", "gauge"),
      Map.entry("addressable_jvm_threads", "gauge"),
      Map.entry("addressable_process_resident_bytes", "gauge"),
      Map.entry("addressable_memory_used_bytes", "gauge"),
      Map.entry("addressable_memory_in_flight_bytes", "gauge"),
      Map.entry("addressable_memory_limit_bytes", "gauge"),
      // A gauge before; a count that only grows, so a counter now (the name is the same).
      Map.entry("addressable_memory_refusals_total", "counter"));

  @Test
  void everyNameExposedBeforeIsStillThereWithAnIntegerValue() {
    try (TestRelay relay = TestRelay.start()) {
      RelayClient http = relay.client();
      RelayClient.Connection c = http.connect();
      http.sendGet(c.url(), "hello");
      RelayClient.Answer answer = http.get("/metrics");
      assertEquals(200, answer.status());
      assertEquals("text/plain; version=0.0.4; charset=utf-8", answer.header("Content-Type"));
      List<String> lines = Arrays.asList(answer.body().split("\n"));

      for (Map.Entry<String, String> metric : BEFORE.entrySet()) {
        String name = metric.getKey();
        assertTrue(lines.contains("# TYPE " + name + " " + metric.getValue()), () -> "no TYPE line for " + name);
        Pattern sample = Pattern.compile(Pattern.quote(name) + " \\d+");
        assertEquals(1, lines.stream().filter(l -> sample.matcher(l).matches()).count(),
            () -> "not one integer sample of " + name + " in\n" + answer.body());
      }
      assertTrue(lines.contains("addressable_messages_sent_total 1"), answer.body());
      assertTrue(lines.contains("addressable_connects_total 1"), answer.body());
    }
  }

  @Test
  void theProcessIdTellsApartProcessesSharingAPort() {
    try (TestRelay relay = TestRelay.start()) {
      List<String> lines = Arrays.asList(relay.client().get("/metrics").body().split("\n"));
      assertTrue(lines.contains("addressable_process_id " + ProcessHandle.current().pid()),
          () -> "no addressable_process_id of this JVM (" + ProcessHandle.current().pid() + ") in " + lines);
    }
  }

  @Test
  void theLatencyHistogramHasASeriesPerTransport() {
    try (TestRelay relay = TestRelay.start()) {
      List<String> lines = Arrays.asList(relay.client().get("/metrics").body().split("\n"));
      for (String transport : Metrics.TRANSPORTS) {
        String bucket = "addressable_delivery_latency_seconds_bucket{transport=\"" + transport + "\",le=\"+Inf\"} ";
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(bucket)), () -> "no +Inf bucket for " + transport);
      }
    }
  }
}
