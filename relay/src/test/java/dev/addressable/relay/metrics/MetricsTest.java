package dev.addressable.relay.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.inbox.Message;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code /metrics} shows, line by line, for what was counted: the names the relay exposed
 * before Micrometer, whole values as integers, and the delivery latency histogram on a clock the
 * test sets.
 */
class MetricsTest {

  private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
  private final Metrics metrics = new Metrics(now::get);

  @AfterEach
  void close() {
    metrics.close();
  }

  private List<String> lines() {
    return Arrays.asList(metrics.render().split("\n"));
  }

  private void assertLine(String expected) {
    List<String> lines = lines();
    assertTrue(lines.contains(expected), () -> "no line \"" + expected + "\" in\n" + String.join("\n", lines));
  }

  @Test
  void countersKeepTheirNamesTypesAndIntegerValues() {
    metrics.sent(3);
    metrics.messagesDelivered(4);
    metrics.expired(5);
    metrics.evicted(6);
    metrics.pollAnswered();
    metrics.connected();
    metrics.fastRequest();
    metrics.handOver();
    metrics.hangUp();
    metrics.headTimeout();
    metrics.channelsExpired(7);
    metrics.variableSet();
    metrics.error();
    metrics.published(8);
    metrics.receipt(true);
    metrics.receipt(false);
    metrics.webhookSent();
    metrics.webhookFailed();
    metrics.webhookDropped();

    String[][] expected = {
        {"addressable_messages_sent_total", "3"}, {"addressable_messages_delivered_total", "4"},
        {"addressable_messages_expired_total", "5"}, {"addressable_messages_evicted_total", "6"},
        {"addressable_polls_answered_total", "1"}, {"addressable_connects_total", "1"},
        {"addressable_http_fast_requests_total", "1"}, {"addressable_http_handovers_total", "1"},
        {"addressable_hangups_total", "1"}, {"addressable_header_timeouts_total", "1"},
        {"addressable_channels_expired_total", "7"}, {"addressable_event_variables_set_total", "1"},
        {"addressable_errors_total", "1"}, {"addressable_topic_publishes_total", "1"},
        {"addressable_topic_fanout_total", "8"}, {"addressable_receipts_requested_total", "2"},
        {"addressable_receipts_confirmed_total", "1"}, {"addressable_webhooks_sent_total", "1"},
        {"addressable_webhooks_failed_total", "1"}, {"addressable_webhooks_dropped_total", "1"}};
    for (String[] counter : expected) {
      assertLine("# TYPE " + counter[0] + " counter");
      assertLine(counter[0] + " " + counter[1]);
    }
    assertEquals(3, metrics.messagesSent());
  }

  @Test
  void gaugesKeepTheNameTheyAreGivenAndLargeValuesStayIntegers() {
    metrics.gauge("addressable_memory_limit_bytes", "The memory budget.", () -> 268_435_456L);
    metrics.gauge("addressable_channels_live", "Live channels.", () -> 0);

    assertLine("# HELP addressable_memory_limit_bytes The memory budget.");
    assertLine("# TYPE addressable_memory_limit_bytes gauge");
    assertLine("addressable_memory_limit_bytes 268435456");
    assertLine("addressable_channels_live 0");
  }

  @Test
  void gaugesAreReadAtEachRender() {
    AtomicLong parked = new AtomicLong(1);
    metrics.gauge("addressable_parked_requests", "Parked.", parked::get);
    assertLine("addressable_parked_requests 1");
    parked.set(12_345_678_901L);
    assertLine("addressable_parked_requests 12345678901");
  }

  @Test
  void aGaugeNamedTotalIsExposedAsACounterOfThatName() {
    metrics.gauge("addressable_memory_refusals_total", "Refused.", () -> 2);
    assertLine("# TYPE addressable_memory_refusals_total counter");
    assertLine("addressable_memory_refusals_total 2");
  }

  @Test
  void valuesGivenAsSuppliersOutliveAGarbageCollection() {
    AtomicLong refusals = new AtomicLong(1);
    AtomicLong live = new AtomicLong(1);
    // Lambdas nobody else holds, as Relay passes them: Micrometer keeps a function counter's weakly.
    metrics.gauge("addressable_memory_refusals_total", "Refused.", () -> refusals.get());
    metrics.gauge("addressable_channels_live", "Live.", () -> live.get());
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    refusals.set(5);
    live.set(6);
    assertLine("addressable_memory_refusals_total 5");
    assertLine("addressable_channels_live 6");
  }

  @Test
  void deliveryLatencyCountsEachDeliveryInItsServiceLevelBucket() {
    metrics.delivered("longpoll", now.get() - 3, 2);
    metrics.delivered("longpoll", now.get(), 1);
    metrics.delivered("sse", now.get() - 12_000, 1);

    String name = "addressable_delivery_latency_seconds";
    assertLine("# TYPE " + name + " histogram");
    assertLine(name + "_bucket{transport=\"longpoll\",le=\"0.001\"} 1");
    assertLine(name + "_bucket{transport=\"longpoll\",le=\"0.002\"} 1");
    assertLine(name + "_bucket{transport=\"longpoll\",le=\"0.005\"} 3");
    assertLine(name + "_bucket{transport=\"longpoll\",le=\"10.0\"} 3");
    assertLine(name + "_bucket{transport=\"longpoll\",le=\"+Inf\"} 3");
    assertLine(name + "_count{transport=\"longpoll\"} 3");
    assertLine(name + "_sum{transport=\"longpoll\"} 0.006");
    assertLine(name + "_bucket{transport=\"sse\",le=\"10.0\"} 0");
    assertLine(name + "_bucket{transport=\"sse\",le=\"+Inf\"} 1");
    assertLine(name + "_sum{transport=\"sse\"} 12");
    assertLine(name + "_count{transport=\"websocket\"} 0");
    assertLine(name + "_count{transport=\"jsonp\"} 0");
  }

  @Test
  void deliveredMessagesAreEachMeasuredFromTheirOwnAcceptance() {
    Message early = message(1, now.get() - 40);
    Message late = message(2, now.get() - 1);
    metrics.delivered("websocket", List.of(early, late));

    String name = "addressable_delivery_latency_seconds";
    assertLine(name + "_bucket{transport=\"websocket\",le=\"0.001\"} 1");
    assertLine(name + "_bucket{transport=\"websocket\",le=\"0.02\"} 1");
    assertLine(name + "_bucket{transport=\"websocket\",le=\"0.05\"} 2");
    assertLine(name + "_sum{transport=\"websocket\"} 0.041");
  }

  @Test
  void aClockThatSteppedBackCountsAsNoLatency() {
    metrics.delivered("jsonp", now.get() + 5_000, 1);
    assertLine("addressable_delivery_latency_seconds_bucket{transport=\"jsonp\",le=\"0.001\"} 1");
    assertLine("addressable_delivery_latency_seconds_sum{transport=\"jsonp\"} 0");
  }

  @Test
  void anUnknownTransportIsRefusedWithItsName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> metrics.delivered("carrier-pigeon", now.get(), 1));
    assertTrue(e.getMessage().contains("carrier-pigeon"), e.getMessage());
  }

  @Test
  void jvmAndProcessMetricsAreThere() {
    List<String> names = lines().stream().filter(l -> l.startsWith("# TYPE "))
        .map(l -> l.split(" ")[2]).collect(Collectors.toList());
    for (String expected : List.of("jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_gc_memory_allocated_bytes_total",
        "jvm_threads_live_threads", "jvm_threads_states_threads", "jvm_classes_loaded_classes", "process_cpu_usage",
        "system_cpu_count", "process_uptime_seconds", "process_start_time_seconds")) {
      assertTrue(names.contains(expected), () -> expected + " not among " + names);
    }
  }

  @Test
  void buildInfoCarriesTheVersion() {
    String version = BuildInfo.version();
    assertFalse(version.isEmpty());
    assertLine("addressable_build_info{version=\"" + version + "\"} 1");
  }

  @Test
  void boundMetersAreRenderedAndClosedWithTheMetrics() {
    AtomicBoolean closed = new AtomicBoolean();
    class Binder implements MeterBinder, AutoCloseable {
      @Override
      public void bindTo(MeterRegistry registry) {
        registry.gauge("test.bound", 7);
      }

      @Override
      public void close() {
        closed.set(true);
      }
    }
    metrics.bind(new Binder());
    assertLine("test_bound 7");
    metrics.close();
    assertTrue(closed.get());
  }

  private static Message message(long seq, long ts) {
    return new Message(seq, new Message.Body("m" + seq, ts, Long.MAX_VALUE, null));
  }
}
