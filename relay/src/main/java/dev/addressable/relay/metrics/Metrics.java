package dev.addressable.relay.metrics;

import dev.addressable.relay.event.RelayEvents;
import dev.addressable.relay.inbox.Message;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The relay's counters, gauges and delivery latencies, kept in a Micrometer
 * {@link PrometheusMeterRegistry} and rendered for {@code /metrics} by {@link #render}, together
 * with the JVM's ({@link JvmMetrics}) and whatever the HTTP server {@linkplain #bind binds}.
 *
 * <p>The send and poll paths only add to {@link LongAdder}s: each counter is one, exposed through
 * a Micrometer {@link FunctionCounter} that reads its sum at scrape time, so counting costs what
 * it did before Micrometer. Delivery latencies go to {@link LatencyHistogram}s, equally cheap.
 * Everything else (gauges, JVM metrics) is read only when scraped. Thread-safe; register gauges
 * and binders before the relay serves. {@link #close} unbinds what holds JVM listeners.
 */
public final class Metrics implements RelayEvents, AutoCloseable {

  /** The transports a delivery latency is kept for: the {@code transport} label's values. */
  public static final List<String> TRANSPORTS = List.of("longpoll", "jsonp", "sse", "websocket");

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final LongSupplier clock;
  private final DeliveryLatency latency = new DeliveryLatency(TRANSPORTS);
  private final List<AutoCloseable> bound = new ArrayList<>();
  /** What function counters read: Micrometer holds those weakly, and a collected one stops counting. */
  private final List<LongSupplier> counted = new ArrayList<>();

  private final LongAdder messagesSent = counter("addressable.messages.sent", "Messages accepted by sends.");
  private final LongAdder messagesDelivered = counter("addressable.messages.delivered", "Messages handed to receivers.");
  private final LongAdder messagesExpired = counter("addressable.messages.expired",
      "Messages dropped because their age or ttl ran out.");
  private final LongAdder messagesEvicted = counter("addressable.messages.evicted", "Messages pushed out of full inboxes.");
  private final LongAdder pollsAnswered = counter("addressable.polls.answered", "Long-polls answered.");
  private final LongAdder connects = counter("addressable.connects", "Successful connects.");
  private final LongAdder fastRequests = counter("addressable.http.fast.requests",
      "Polls and GET sends served on the relay's own HTTP/1.1 path.");
  private final LongAdder handOvers = counter("addressable.http.handovers",
      "Connections handed to Jetty's HTTP/1.1 parser for a request the own path does not serve.");
  private final LongAdder hotRoutesOnJetty = counter("addressable.http.hot.routes.on.jetty",
      "Polls and GET sends that reached Jetty's path (their connection was not on the own path).");
  private final LongAdder hangUps = counter("addressable.hangups",
      "Waiting requests and streams whose client went away before their answer.");
  private final LongAdder headTimeouts = counter("addressable.header.timeouts",
      "Request heads that did not arrive within --header-timeout.");
  private final LongAdder channelsExpired = counter("addressable.channels.expired", "Channels dropped after going idle.");
  private final LongAdder eventsSet = counter("addressable.event.variables.set", "Event variables set.");
  private final LongAdder errors = counter("addressable.errors", "Requests answered with an error.");
  private final LongAdder publishes = counter("addressable.topic.publishes", "Topic publishes.");
  private final LongAdder publishFanout = counter("addressable.topic.fanout",
      "Subscribed channels reached by topic publishes.");
  private final LongAdder receiptsAsked = counter("addressable.receipts.requested", "Sends that waited for a receipt.");
  private final LongAdder receiptsConfirmed = counter("addressable.receipts.confirmed", "Receipts confirmed in time.");
  private final LongAdder webhooksSent = counter("addressable.webhooks.sent", "Webhook events delivered.");
  private final LongAdder webhooksFailed = counter("addressable.webhooks.failed", "Webhook events given up after retries.");
  private final LongAdder webhooksDropped = counter("addressable.webhooks.dropped",
      "Webhook events dropped because the queue was full.");

  /** Metrics on the wall clock, with the JVM's bound. */
  public Metrics() {
    this(System::currentTimeMillis);
  }

  /** @param clock epoch milliseconds, against which {@link Message#ts()} is measured */
  public Metrics(LongSupplier clock) {
    this.clock = clock;
    registry.getPrometheusRegistry().register(latency);
    Gauge.builder("addressable.build.info", () -> 1).description("The relay's version, as a label.")
        .tag("version", BuildInfo.version()).strongReference(true).register(registry);
    bound.add(new JvmMetrics(registry));
  }

  private LongAdder counter(String name, String help) {
    LongAdder adder = new LongAdder();
    FunctionCounter.builder(name, adder, LongAdder::sum).description(help).register(registry);
    return adder;
  }

  /**
   * Adds a value read at each scrape, named as exposed ({@code addressable_channels_live}). A name
   * ending in {@code _total} is a count that only grows and is exposed as a counter of that name;
   * any other is a gauge. Call before the relay starts serving.
   */
  public void gauge(String name, String help, LongSupplier value) {
    if (name.endsWith("_total")) {
      synchronized (counted) {
        counted.add(value);
      }
      FunctionCounter.builder(name.substring(0, name.length() - "_total".length()), value, LongSupplier::getAsLong)
          .description(help).register(registry);
    } else {
      Gauge.builder(name, value, LongSupplier::getAsLong).description(help).strongReference(true).register(registry);
    }
  }

  /**
   * Binds more meters to the registry, such as the HTTP server's (only {@code http} knows Jetty).
   * A binder that is {@link AutoCloseable} is closed by {@link #close}.
   */
  public void bind(MeterBinder binder) {
    binder.bindTo(registry);
    if (binder instanceof AutoCloseable closeable) {
      synchronized (bound) {
        bound.add(closeable);
      }
    }
  }

  /** The registry itself, for binders that need more than {@link #bind} (meters of their own). */
  public MeterRegistry registry() {
    return registry;
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

  /**
   * {@code count} messages, all accepted at {@code acceptedAtMillis} ({@link Message#ts()}), now
   * handed to the socket of a receiver on {@code transport} (one of {@link #TRANSPORTS}): adds
   * the time since to that transport's delivery latency histogram. Reads the clock once.
   *
   * @throws IllegalArgumentException for a transport not in {@link #TRANSPORTS}
   */
  public void delivered(String transport, long acceptedAtMillis, int count) {
    latency.of(transport).record(clock.getAsLong() - acceptedAtMillis, count);
  }

  /** As {@link #delivered(String, long, int)} for each of {@code messages}, reading the clock once. */
  public void delivered(String transport, List<Message> messages) {
    if (messages.isEmpty()) {
      return;
    }
    LatencyHistogram histogram = latency.of(transport);
    long now = clock.getAsLong();
    for (int i = 0; i < messages.size(); i++) {
      histogram.record(now - messages.get(i).ts(), 1);
    }
  }

  /** A request served on the relay's own HTTP/1.1 path (a poll or a GET send). */
  public void fastRequest() {
    fastRequests.increment();
  }

  /** A connection handed to Jetty's HTTP/1.1 parser for a request the own path does not serve. */
  public void handOver() {
    handOvers.increment();
  }

  /** A poll or GET send that Jetty's path served, because its connection was not on the own path. */
  public void hotRouteOnJetty() {
    hotRoutesOnJetty.increment();
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

  /**
   * The Prometheus text exposition (format 0.0.4) of every metric, whole values written as
   * integers ({@link PrometheusText}). Reads every gauge; meant for a scrape every few seconds,
   * not for a hot path.
   */
  public String render() {
    return PrometheusText.withIntegers(registry.scrape());
  }

  /** Unbinds the JVM listeners and closes what was bound; the metrics read as before after it. */
  @Override
  public void close() {
    synchronized (bound) {
      for (AutoCloseable closeable : bound) {
        try {
          closeable.close();
        } catch (Exception e) {
          // Closing a binder only removes listeners; one that fails leaves nothing to undo.
        }
      }
      bound.clear();
    }
  }
}
