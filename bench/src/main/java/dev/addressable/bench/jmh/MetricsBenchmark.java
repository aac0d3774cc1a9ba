package dev.addressable.bench.jmh;

import dev.addressable.relay.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the metrics cost the hot paths, per call, with one thread and with two (this machine's
 * cores, so two contend for the same counters):
 * <ul>
 *   <li>{@code pollAnswer}: the calls one poll answer makes ({@code fastRequest},
 *       {@code pollAnswered}, {@code messagesDelivered(1)} and now {@code delivered(…)}, the
 *       latency record); {@code send}: a GET send's ({@code fastRequest}, {@code sent(1)}). On
 *       the build before Micrometer a copy of this class ran the same two without the latency
 *       record (which did not exist), so the pair gives the before/after figure.
 *   <li>In-run comparisons of the choices made: a counter as a {@link LongAdder} (what the relay
 *       keeps, read by a Micrometer {@code FunctionCounter}) against Micrometer's own
 *       {@link Counter}; the latency record into the relay's histogram against a Micrometer
 *       {@link Timer} with the same service-level buckets.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBenchmark {

  private Metrics metrics;
  private PrometheusMeterRegistry registry;
  private Counter micrometerCounter;
  private Timer micrometerTimer;
  private final LongAdder adder = new LongAdder();
  /** Accepted a few milliseconds before the run: latencies land in the first buckets, as most do. */
  private long acceptedAt;

  @Setup
  public void wire() {
    metrics = new Metrics();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    micrometerCounter = Counter.builder("bench.counter").register(registry);
    micrometerTimer = Timer.builder("bench.latency").serviceLevelObjectives(slos()).register(registry);
    acceptedAt = System.currentTimeMillis() - 3;
  }

  @TearDown
  public void close() {
    metrics.close();
    registry.close();
  }

  private static Duration[] slos() {
    long[] millis = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000};
    Duration[] slos = new Duration[millis.length];
    for (int i = 0; i < millis.length; i++) {
      slos[i] = Duration.ofMillis(millis[i]);
    }
    return slos;
  }

  @Benchmark
  @Threads(1)
  public void pollAnswerOneThread() {
    poll();
  }

  @Benchmark
  @Threads(2)
  public void pollAnswerTwoThreads() {
    poll();
  }

  @Benchmark
  @Threads(1)
  public void sendOneThread() {
    send();
  }

  @Benchmark
  @Threads(2)
  public void sendTwoThreads() {
    send();
  }

  @Benchmark
  @Threads(2)
  public void counterLongAdderTwoThreads() {
    adder.increment();
  }

  @Benchmark
  @Threads(2)
  public void counterMicrometerTwoThreads() {
    micrometerCounter.increment();
  }

  @Benchmark
  @Threads(1)
  public void latencyRelayHistogramOneThread() {
    metrics.delivered("longpoll", acceptedAt, 1);
  }

  @Benchmark
  @Threads(2)
  public void latencyRelayHistogramTwoThreads() {
    metrics.delivered("longpoll", acceptedAt, 1);
  }

  @Benchmark
  @Threads(1)
  public void latencyMicrometerTimerOneThread() {
    micrometerTimer.record(System.currentTimeMillis() - acceptedAt, TimeUnit.MILLISECONDS);
  }

  @Benchmark
  @Threads(2)
  public void latencyMicrometerTimerTwoThreads() {
    micrometerTimer.record(System.currentTimeMillis() - acceptedAt, TimeUnit.MILLISECONDS);
  }

  private void poll() {
    metrics.fastRequest();
    metrics.pollAnswered();
    metrics.messagesDelivered(1);
    metrics.delivered("longpoll", acceptedAt, 1);
  }

  private void send() {
    metrics.fastRequest();
    metrics.sent(1);
  }
}
