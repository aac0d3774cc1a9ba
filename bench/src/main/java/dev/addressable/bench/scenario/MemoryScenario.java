package dev.addressable.bench.scenario;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory per parked long-poll: the server's resident memory (from /proc, summed over its
 * processes) on a fresh server, then with N idle receivers parked, each on its own channel. Run
 * against a server started just for it; the script starts one per receiver count. For a system
 * with a store (Redis) the figures count the store's processes too, since they hold part of what
 * a parked poll costs; {@code store_kb_per_poll} and {@code store_rss_after_mib} show its share.
 */
final class MemoryScenario {

  private static final Pattern NCHAN_SHM = Pattern.compile("(?m)^shared memory used: (\\d+)K");

  private MemoryScenario() {}

  static void run(Bench b, Map<String, String> args) throws IOException, InterruptedException {
    int receivers = Integer.parseInt(args.getOrDefault("receivers", "10000"));
    int settle = Integer.parseInt(args.getOrDefault("settle", "5"));
    long storeRss0 = b.store == null ? 0 : b.store.rssKib();
    long rss0 = b.process.rssKib() + storeRss0;
    long pss0 = b.process.pssKib() + (b.store == null ? 0 : b.store.pssKib());
    long threads0 = b.process.threads();
    b.log("fresh server: RSS %d KiB, PSS %d KiB, %d threads", rss0, pss0, threads0);
    Bench.CpuWindow cpu = b.new CpuWindow();

    b.park(receivers, "m", null, null, null, true);
    b.log("holding %d idle polls for %d s before measuring", receivers, settle);
    Thread.sleep(settle * 1000L);
    long storeRss = b.store == null ? 0 : b.store.rssKib();
    long rss = b.process.rssKib() + storeRss;
    long pss = b.process.pssKib() + (b.store == null ? 0 : b.store.pssKib());
    long threads = b.process.threads();
    double[] cpuPct = cpu.percent();
    long parked = b.probe.parked();

    Map<String, Number> f = Bench.figures();
    f.put("rss_before_mib", rss0 / 1024.0);
    f.put("rss_after_mib", rss / 1024.0);
    f.put("kb_per_poll", (rss - rss0) * 1.024 / receivers); // KiB → kB (1000 bytes)
    f.put("pss_kb_per_poll", (pss - pss0) * 1.024 / receivers);
    f.put("threads_after", threads);
    f.put("parked", parked);
    if (b.store != null) {
      f.put("store_rss_after_mib", storeRss / 1024.0);
      f.put("store_kb_per_poll", (storeRss - storeRss0) * 1.024 / receivers);
    }
    if (b.target.system().equals("nchan")) {
      Matcher m = NCHAN_SHM.matcher(b.probe.status());
      if (m.find()) {
        f.put("nchan_shm_used_kib", Long.parseLong(m.group(1)));
      }
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("receivers", receivers);
    params.put("settle_s", settle);
    b.report("memory" + (receivers >= 1000 ? receivers / 1000 + "k" : receivers), params, f, cpuPct);
  }
}
