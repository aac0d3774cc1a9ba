package dev.addressable.bench.hostile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.addressable.bench.load.Cpu;
import dev.addressable.bench.load.EventLoop;
import java.io.PrintStream;
import java.net.InetAddress;

/**
 * One attack against the running server, watched by the probes: set the attack up, park the
 * probe's receiver, warm the probes up (not counted), note the server's state, attack for the
 * given time while the probes measure, note the server's state again, then stop everything the
 * phase opened. Ends early if the server process dies.
 */
final class Phase {

  /** How long and how often. */
  record Timing(long seconds, long warmupSeconds, long probeTimeoutMillis, long healthEveryMillis,
      long sendEveryMillis, long progressEverySeconds) {}

  private final Site site;
  private final ServerWatch watch;
  private final Timing timing;
  private final PrintStream out;

  Phase(Site site, ServerWatch watch, Timing timing, PrintStream out) {
    this.site = site;
    this.watch = watch;
    this.timing = timing;
    this.out = out;
  }

  /** Runs {@code attack} (whose loop is {@code attackLoop}) and adds its figures to {@code record}. */
  void run(Attack attack, EventLoop attackLoop, ObjectNode record) throws Exception {
    String tag = "[" + site.system + "] " + attack.name();
    attack.prepare();
    InetAddress probeSource = InetAddress.getByName("127.0.0.1");
    try (EventLoop probeLoop = new EventLoop("probe")) {
      HealthProbe health = new HealthProbe(probeLoop, site, probeSource, timing.healthEveryMillis(),
          timing.probeTimeoutMillis());
      DeliveryProbe delivery = new DeliveryProbe(probeLoop, site, probeSource, timing.sendEveryMillis(),
          timing.probeTimeoutMillis());
      if (!delivery.open(10_000)) {
        record.withArray("notes").add("the probe's receiver was not parked within 10 s");
      }
      health.start();
      delivery.start();
      Thread.sleep(timing.warmupSeconds() * 1000);
      health.stats.reset();
      delivery.stats.reset();

      ServerWatch.Snapshot before = watch.snapshot();
      long generatorCpu = Cpu.processNanos();
      long machineBusy = Cpu.machineBusyNanos();
      long started = System.nanoTime();
      long rssMax = before.rssKib();
      boolean died = false;
      attack.start();
      for (long s = 1; s <= timing.seconds(); s++) {
        sleepUntil(started + s * 1_000_000_000L);
        if (!watch.alive()) {
          died = true;
          out.printf("%s %d/%d s: the server process is gone%n", tag, s, timing.seconds());
          break;
        }
        rssMax = Math.max(rssMax, watch.rssKib());
        if (s % timing.progressEverySeconds() == 0 || s == timing.seconds()) {
          out.printf("%s %d/%d s: health %s | send→poll %s | %s%n", tag, s, timing.seconds(), health.stats.brief(),
              delivery.stats.brief(), attack.progress());
        }
      }
      health.stop();
      delivery.stop();
      double elapsed = (System.nanoTime() - started) / 1e9;
      long generatorCpuNanos = Cpu.processNanos() - generatorCpu;
      long machineBusyNanos = Cpu.machineBusyNanos() - machineBusy;
      ServerWatch.Snapshot after = watch.snapshot();
      attack.stop();

      record.put("seconds", Math.round(elapsed * 10) / 10.0);
      health.stats.writeTo(record.putObject("health"));
      delivery.stats.writeTo(record.putObject("delivery"));
      ObjectNode server = record.putObject("server");
      before.writeTo(server.putObject("start"));
      after.writeTo(server.putObject("end"));
      server.put("rss_max_kib", Math.max(rssMax, after.rssKib()));
      server.put("died", died || !after.alive());
      long serverCpuNanos = after.alive() ? after.cpuNanos() - before.cpuNanos() : 0;
      server.put("cpu_pct", after.alive() ? Math.round(serverCpuNanos / elapsed / 1e7) : -1);
      record.put("generator_cpu_pct", Math.round(generatorCpuNanos / elapsed / 1e7));
      // Whatever else ran on the machine meanwhile (builds, tests): a disturbed figure shows here.
      long otherNanos = machineBusyNanos - serverCpuNanos - generatorCpuNanos;
      record.put("other_cpu_pct", Math.max(0, Math.round(otherNanos / elapsed / 1e7)));
      attack.writeTo(record.putObject("attack_figures"));
      record.put("failed", died || !after.alive() || health.stats.failureCount() > 0
          || delivery.stats.failureCount() > 0);
    } finally {
      attackLoop.close();
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
    }
  }
}
