package dev.addressable.relay.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The JVM and process metrics operators expect beside the relay's own, from Micrometer's binders:
 * heap and non-heap pools and buffers ({@code jvm_memory_*}, {@code jvm_buffer_*}), collections
 * and pauses ({@code jvm_gc_*}), threads by state ({@code jvm_threads_*}), CPU
 * ({@code process_cpu_usage}, {@code system_*}), classes ({@code jvm_classes_*}) and uptime
 * ({@code process_uptime_seconds}, {@code process_start_time_seconds}). All are read at scrape
 * time except GC pauses, which a JMX listener records as collections end.
 */
final class JvmMetrics implements AutoCloseable {

  private final JvmGcMetrics gc = new JvmGcMetrics();

  JvmMetrics(MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Removes the GC listeners (a JVM that starts many relays, as the tests do, would keep them all). */
  @Override
  public void close() {
    gc.close();
  }
}
