package dev.addressable.bench.scenario;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two delivery scenarios, one receiver per channel, receivers re-polling after each answer:
 *
 * <ul>
 *   <li>{@code latency}: 10,000 parked receivers, 500 sends/s to random channels for 20 s;
 *       send-to-receive quantiles and lost messages;
 *   <li>{@code throughput}: 2,000 parked receivers, sends as fast as a few kept-alive connections
 *       carry for 20 s; delivered messages/s, p99 under that load, lost messages.
 * </ul>
 *
 * A warm-up phase of the same shape runs first (15 s by default: the relay's JIT compilers are
 * still busy for about that long on 2 cores) and is not counted; messages numbered before the
 * measured phase are ignored by the receivers from then on.
 */
final class DeliveryScenario {

  private DeliveryScenario() {}

  static void run(Bench b, Map<String, String> args, boolean flood) throws IOException, InterruptedException {
    String scenario = flood ? "throughput" : "latency";
    int receivers = Integer.parseInt(args.getOrDefault("receivers", flood ? "2000" : "10000"));
    double rate = Double.parseDouble(args.getOrDefault("rate", "500"));
    double seconds = Double.parseDouble(args.getOrDefault("seconds", "20"));
    // At 500 sends/s a fresh relay JVM is still compiling its send and wake paths after 15 s: its
    // p99 was 0.85-1.76 ms after 15 s of warm-up and 0.45-0.55 ms after 45 s (docs/BENCHMARKS.md).
    // The flood reaches the same counts within seconds. Nginx needs neither; it gets the same.
    double warmup = Double.parseDouble(args.getOrDefault("warmup", flood ? "15" : "45"));
    int connections = Integer.parseInt(args.getOrDefault("senders", flood ? "4" : "16"));

    List<String> addresses = b.park(receivers, "r", null, null, null, true);
    try (Senders senders = new Senders(b.loop, b.target, b.sendServer, connections)) {
      b.log("warm-up: %.0f s", warmup);
      phase(b, senders, flood ? Plans.flood(warmup, addresses, 1) : Plans.paced(rate, warmup, addresses, 1), warmup);
      Thread.sleep(1000);

      long firstMeasured = senders.nextId();
      b.stats(true, firstMeasured, false);
      long accepted0 = senders.accepted.get();
      long refused0 = senders.refused.get();
      long sent0 = senders.sent.get();
      Bench.CpuWindow cpu = b.new CpuWindow();
      long start = System.nanoTime();
      b.log("measuring: %.0f s %s", seconds, flood ? "flood on " + connections + " connections" : "at " + rate + " sends/s");
      phase(b, senders, flood ? Plans.flood(seconds, addresses, 2) : Plans.paced(rate, seconds, addresses, 2), seconds);
      double[] cpuPct = cpu.percent();
      double window = (System.nanoTime() - start) / 1e9;
      Bench.Stats atEnd = b.stats(false, -1, false);
      senders.awaitIdle(connections, 5000);
      long sent = senders.sent.get() - sent0;
      long accepted = senders.accepted.get() - accepted0;
      long refused = senders.refused.get() - refused0;

      Bench.Stats s = drain(b, accepted);
      Map<String, Number> f = Bench.figures();
      if (flood) {
        f.put("delivered_per_s", atEnd.unique / window);
        f.put("sent_per_s", sent / window);
      }
      f.put("p50_ms", Bench.ms(s.latency.quantile(0.50)));
      f.put("p90_ms", Bench.ms(s.latency.quantile(0.90)));
      f.put("p99_ms", Bench.ms(s.latency.quantile(0.99)));
      f.put("p999_ms", Bench.ms(s.latency.quantile(0.999)));
      f.put("max_ms", Bench.ms(s.latency.max()));
      f.put("sent", sent);
      f.put("accepted", accepted);
      f.put("send_refused", refused);
      f.put("received", s.unique);
      f.put("lost", accepted - s.unique);
      f.put("duplicates", s.duplicates);
      f.put("poll_errors", s.pollErrors);
      f.put("reconnects", s.reopens);
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("receivers", receivers);
      params.put("seconds", seconds);
      params.put("warmup", warmup);
      params.put("sender_connections", connections);
      if (!flood) {
        params.put("rate", rate);
      }
      if (refused > 0) {
        b.log("sends refused: %d, last: %s", refused, senders.lastRefusal);
      }
      if (s.lastError != null) {
        b.log("receiver error seen: %s", s.lastError);
      }
      b.report(scenario, params, f, cpuPct);
    }
  }

  /** Runs a plan for {@code seconds}, printing progress every 2 s. */
  static void phase(Bench b, Senders senders, Senders.Plan plan, double seconds) throws IOException, InterruptedException {
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    Bench.CpuWindow cpu = b.new CpuWindow();
    senders.start(plan);
    long nextPrint = start + 2_000_000_000L;
    while (System.nanoTime() < end) {
      Thread.sleep(Math.max(1, Math.min(200, (end - System.nanoTime()) / 1_000_000)));
      if (System.nanoTime() >= nextPrint) {
        nextPrint += 2_000_000_000L;
        Bench.Stats s = b.stats(false, -1, false);
        double[] pct = cpu.percent();
        b.log("t=%4.1fs sent=%d accepted=%d received=%d waiting=%d cpu: generator %.0f%% server %.0f%% other %.0f%%",
            (System.nanoTime() - start) / 1e9, senders.sent.get(), senders.accepted.get(), s.received, s.waiting,
            pct[0], pct[1], pct[2]);
      }
    }
    senders.stop();
    senders.awaitIdle(0, 5000);
  }

  /** Waits up to 10 s for everything accepted to arrive; returns the final counts with latencies. */
  static Bench.Stats drain(Bench b, long expected) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline && b.stats(false, -1, false).unique < expected) {
      Thread.sleep(100);
    }
    return b.stats(false, -1, true);
  }
}
