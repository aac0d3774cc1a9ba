package dev.addressable.relay.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;

/**
 * {@code addressable_delivery_latency_seconds{transport=…}}: one {@link LatencyHistogram} per
 * transport, exposed as a Prometheus histogram through the registry under Micrometer's.
 *
 * <p>Why not a Micrometer {@code Timer} with service-level objectives: its record also keeps a
 * rolling maximum and a time-windowed histogram (a clock read, a CAS loop, an {@code
 * AtomicLongArray} slot shared by every thread), and a batch of n messages is n records. The
 * delivery path records once per answer or frame, so it keeps plain striped adders here and
 * builds the snapshot only when scraped; {@code MetricsBenchmark} measures both.
 */
final class DeliveryLatency implements Collector {

  static final String NAME = "addressable_delivery_latency_seconds";
  private static final String HELP = "Time from a message's acceptance by a send to the hand-over of the answer or "
      + "frame carrying it to the receiver's socket, by transport.";

  private final List<String> transports;
  private final LatencyHistogram[] histograms;
  private final double[] boundsSeconds;

  DeliveryLatency(List<String> transports) {
    this.transports = List.copyOf(transports);
    this.histograms = new LatencyHistogram[transports.size()];
    for (int i = 0; i < histograms.length; i++) {
      histograms[i] = new LatencyHistogram();
    }
    long[] millis = LatencyHistogram.BOUNDS_MILLIS;
    boundsSeconds = new double[millis.length + 1];
    for (int i = 0; i < millis.length; i++) {
      boundsSeconds[i] = millis[i] / 1000.0;
    }
    boundsSeconds[millis.length] = Double.POSITIVE_INFINITY;
  }

  /** The histogram of {@code transport}; throws for a name not given at construction. */
  LatencyHistogram of(String transport) {
    int i = transports.indexOf(transport);
    if (i < 0) {
      throw new IllegalArgumentException("transport not one of " + transports + ": " + transport);
    }
    return histograms[i];
  }

  @Override
  public MetricSnapshot collect() {
    HistogramSnapshot.Builder snapshot = HistogramSnapshot.builder().name(NAME).help(HELP);
    for (int i = 0; i < histograms.length; i++) {
      snapshot.dataPoint(HistogramDataPointSnapshot.builder()
          .labels(Labels.of("transport", transports.get(i)))
          .classicHistogramBuckets(ClassicHistogramBuckets.of(boundsSeconds, histograms[i].counts()))
          .sum(histograms[i].sumMillis() / 1000.0)
          .build());
    }
    return snapshot.build();
  }

  @Override
  public String getPrometheusName() {
    return NAME;
  }
}
