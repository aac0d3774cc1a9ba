package dev.addressable.relay.http;

import dev.addressable.relay.metrics.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty's meters in {@code /metrics}, from Micrometer's binders (here, since only this package
 * knows Jetty): the worker pool's threads ({@code jetty_threads_*}: current, busy, idle, queued
 * jobs, configured bounds), read at scrape time; and the connector's connections
 * ({@code jetty_connections_*}: open now and at most, bytes and messages in and out, time open),
 * recorded as each connection closes. A connection the relay hands from its own HTTP/1.1 path to
 * Jetty's parser and back counts once per side, as Jetty sees two connection objects.
 */
final class JettyMetrics {

  private JettyMetrics() {}

  static void bind(Metrics metrics, QueuedThreadPool pool, ServerConnector connector) {
    metrics.bind(new JettyServerThreadPoolMetrics(pool, Tags.empty()));
    // A Connection.Listener bean: the connector tells it of every connection it opens and closes.
    connector.addBean(new JettyConnectionMetrics(metrics.registry(), connector, Tags.empty()));
  }
}
