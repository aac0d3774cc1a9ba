package dev.addressable.bench.report;

/**
 * One row of the comparison: a figure of one scenario, how to read it, and the target for
 * Addressable where there is one.
 *
 * @param lowerIsBetter whether a smaller value is the better one
 * @param target "ratio" when Addressable must be at least as good as Nchan, "max:X" when it must
 *     be at most X, or empty when there is no target
 */
record Figure(String scenario, String key, String title, String unit, boolean lowerIsBetter, String target) {

  static final Figure[] ALL = {
      new Figure("latency", "p50_ms", "latency p50, 10k parked, 500 sends/s", "ms", true, ""),
      new Figure("latency", "p90_ms", "latency p90", "ms", true, ""),
      new Figure("latency", "p99_ms", "latency p99", "ms", true, "ratio"),
      new Figure("latency", "p999_ms", "latency p99.9", "ms", true, ""),
      new Figure("latency", "max_ms", "latency max", "ms", true, ""),
      new Figure("latency", "lost", "latency: messages lost", "", true, "max:0"),
      new Figure("throughput", "delivered_per_s", "throughput, 2k parked: delivered", "msgs/s", false, "ratio"),
      new Figure("throughput", "p99_ms", "throughput: p99 under that load", "ms", true, ""),
      new Figure("throughput", "lost", "throughput: messages lost", "", true, "max:0"),
      new Figure("memory10k", "kb_per_poll", "memory per parked poll, 10k (RSS)", "kB", true, "max:12"),
      new Figure("memory19k", "kb_per_poll", "memory per parked poll, 19k (RSS)", "kB", true, "max:12"),
      new Figure("memory10k", "pss_kb_per_poll", "memory per parked poll, 10k (PSS)", "kB", true, ""),
      new Figure("memory19k", "pss_kb_per_poll", "memory per parked poll, 19k (PSS)", "kB", true, ""),
      new Figure("memory19k", "rss_after_mib", "RSS holding 19k polls", "MiB", true, ""),
      new Figure("fanout1k", "all_have_it_median_ms", "fan-out to 1k: all have it (median of rounds)", "ms", true, ""),
      new Figure("fanout10k", "all_have_it_median_ms", "fan-out to 10k: all have it (median of rounds)", "ms", true, "ratio"),
      new Figure("fanout10k", "median_receiver_ms", "fan-out to 10k: median receiver", "ms", true, ""),
      // bench/run.sh --scale: one box, every process of a system counted.
      new Figure("memory100k", "kb_per_poll", "one box, 100k parked: memory per poll, every process (RSS)", "kB", true, "ratio"),
      new Figure("memory100k", "pss_kb_per_poll", "one box, 100k parked: memory per poll, every process (PSS)", "kB", true, ""),
      new Figure("memory100k", "rss_after_mib", "one box: RSS holding 100k polls, every process", "MiB", true, ""),
      new Figure("latency100k", "p50_ms", "one box, 100k parked, 500 sends/s: latency p50", "ms", true, "ratio"),
      new Figure("latency100k", "p99_ms", "one box, 100k parked: latency p99", "ms", true, "ratio"),
      new Figure("latency100k", "p999_ms", "one box, 100k parked: latency p99.9", "ms", true, ""),
      new Figure("latency100k", "lost", "one box, 100k parked: messages lost", "", true, "max:0"),
      new Figure("topic100k", "all_have_it_median_ms", "one box: one topic publish, all 100k have it (median of rounds)", "ms", true, "ratio"),
      new Figure("topic100k", "median_receiver_ms", "one box, topic to 100k: median receiver", "ms", true, ""),
      new Figure("topic100k", "lost", "one box, topic to 100k: messages lost", "", true, "max:0"),
  };
}
