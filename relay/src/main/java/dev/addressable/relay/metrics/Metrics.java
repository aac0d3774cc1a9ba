package dev.addressable.relay.metrics;

import dev.addressable.relay.event.RelayEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The relay's counters and gauges, rendered in the Prometheus text format for {@code /metrics}.
 * Counters are {@link LongAdder}s, so the send and poll paths never contend on them. Thread-safe.
 */
public final class Metrics implements RelayEvents {

  private final LongAdder messagesSent = new LongAdder();
  private final LongAdder messagesDelivered = new LongAdder();
  private final LongAdder messagesExpired = new LongAdder();
  private final LongAdder messagesEvicted = new LongAdder();
  private final LongAdder pollsAnswered = new LongAdder();
  private final LongAdder connects = new LongAdder();
  private final LongAdder channelsExpired = new LongAdder();
  private final LongAdder eventsSet = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder publishes = new LongAdder();
  private final LongAdder publishFanout = new LongAdder();
  private final LongAdder receiptsAsked = new LongAdder();
  private final LongAdder receiptsConfirmed = new LongAdder();
  private final LongAdder webhooksSent = new LongAdder();
  private final LongAdder webhooksFailed = new LongAdder();
  private final LongAdder webhooksDropped = new LongAdder();
  private final LongAdder fastRequests = new LongAdder();
  private final LongAdder handOvers = new LongAdder();
  private final LongAdder hangUps = new LongAdder();
  private final LongAdder headTimeouts = new LongAdder();
  private final List<Gauge> gauges = new ArrayList<>();

  private record Gauge(String name, String help, LongSupplier value) {}

  /** Adds a gauge read at each scrape. Call before the relay starts serving. */
  public void gauge(String name, String help, LongSupplier value) {
    gauges.add(new Gauge(name, help, value));
  }

  /**
   * Messages stored, counted at once: a send to thousands of tabs adds once for all of them
   * (an increment per inbox was 1.6% of the relay's CPU in a fan-out to 10,000, all of it on the
   * sender's thread, before the wake-ups were handed on).
   */
  @Override
  public void sent(int count) {
    messagesSent.add(count);
  }

  /** Messages handed to receivers, counted once per receiver that got them. */
  public void messagesDelivered(int count) {
    messagesDelivered.add(count);
  }

  /** A request served on the relay's own HTTP/1.1 path (a poll or a GET send). */
  public void fastRequest() {
    fastRequests.increment();
  }

  /** A connection handed to Jetty's HTTP/1.1 parser for a request the own path does not serve. */
  public void handOver() {
    handOvers.increment();
  }

  /** A waiting request (poll, stream, receipt, event variable) whose client went away first. */
  public void hangUp() {
    hangUps.increment();
  }

  /** A connection closed because its request head did not arrive within the head timeout. */
  public void headTimeout() {
    headTimeouts.increment();
  }

  public void pollAnswered() {
    pollsAnswered.increment();
  }

  public void connected() {
    connects.increment();
  }

  public void channelsExpired(int count) {
    channelsExpired.add(count);
  }

  @Override
  public void variableSet() {
    eventsSet.increment();
  }

  /** A topic publish that reaches {@code subscribers} channels. */
  @Override
  public void published(int subscribers) {
    publishes.increment();
    publishFanout.add(subscribers);
  }

  /** A send that asked for a receipt, and whether it got one in time. */
  public void receipt(boolean confirmed) {
    receiptsAsked.increment();
    if (confirmed) {
      receiptsConfirmed.increment();
    }
  }

  public void webhookSent() {
    webhooksSent.increment();
  }

  /** A webhook event given up after its retries. */
  public void webhookFailed() {
    webhooksFailed.increment();
  }

  /** A webhook event dropped because the queue was full. */
  public void webhookDropped() {
    webhooksDropped.increment();
  }

  public void error() {
    errors.increment();
  }

  @Override
  public void expired(int count) {
    messagesExpired.add(count);
  }

  @Override
  public void evicted(int count) {
    messagesEvicted.add(count);
  }

  public long messagesSent() {
    return messagesSent.sum();
  }

  /** The Prometheus text exposition of every metric. */
  public String render() {
    StringBuilder out = new StringBuilder(2048);
    counter(out, "addressable_messages_sent_total", "Messages accepted by sends.", messagesSent);
    counter(out, "addressable_messages_delivered_total", "Messages handed to receivers.", messagesDelivered);
    counter(out, "addressable_messages_expired_total", "Messages dropped because their age or ttl ran out.", messagesExpired);
    counter(out, "addressable_messages_evicted_total", "Messages pushed out of full inboxes.", messagesEvicted);
    counter(out, "addressable_polls_answered_total", "Long-polls answered.", pollsAnswered);
    counter(out, "addressable_connects_total", "Successful connects.", connects);
    counter(out, "addressable_http_fast_requests_total",
        "Polls and GET sends served on the relay's own HTTP/1.1 path.", fastRequests);
    counter(out, "addressable_http_handovers_total",
        "Connections handed to Jetty's HTTP/1.1 parser for a request the own path does not serve.", handOvers);
    counter(out, "addressable_hangups_total",
        "Waiting requests and streams whose client went away before their answer.", hangUps);
    counter(out, "addressable_header_timeouts_total", "Request heads that did not arrive within --header-timeout.",
        headTimeouts);
    counter(out, "addressable_channels_expired_total", "Channels dropped after going idle.", channelsExpired);
    counter(out, "addressable_event_variables_set_total", "Event variables set.", eventsSet);
    counter(out, "addressable_errors_total", "Requests answered with an error.", errors);
    counter(out, "addressable_topic_publishes_total", "Topic publishes.", publishes);
    counter(out, "addressable_topic_fanout_total", "Subscribed channels reached by topic publishes.", publishFanout);
    counter(out, "addressable_receipts_requested_total", "Sends that waited for a receipt.", receiptsAsked);
    counter(out, "addressable_receipts_confirmed_total", "Receipts confirmed in time.", receiptsConfirmed);
    counter(out, "addressable_webhooks_sent_total", "Webhook events delivered.", webhooksSent);
    counter(out, "addressable_webhooks_failed_total", "Webhook events given up after retries.", webhooksFailed);
    counter(out, "addressable_webhooks_dropped_total", "Webhook events dropped because the queue was full.", webhooksDropped);
    for (Gauge gauge : gauges) {
      out.append("# HELP ").append(gauge.name).append(' ').append(gauge.help).append('\n')
          .append("# TYPE ").append(gauge.name).append(" gauge\n")
          .append(gauge.name).append(' ').append(gauge.value.getAsLong()).append('\n');
    }
    return out.toString();
  }

  private static void counter(StringBuilder out, String name, String help, LongAdder value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" counter\n")
        .append(name).append(' ').append(value.sum()).append('\n');
  }
}
