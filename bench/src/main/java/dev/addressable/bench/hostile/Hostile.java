package dev.addressable.bench.hostile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.addressable.bench.load.EventLoop;
import dev.addressable.bench.report.Results;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Attacks a running server, one attack at a time, while a well-behaved probe measures how it holds
 * up; appends one JSON line per attack to the results file. {@code bench/hostile.sh} starts the
 * servers and calls this once per system and attack.
 *
 * <pre>
 * java -cp bench/target/bench.jar dev.addressable.bench.hostile.Hostile \
 *     --url http://127.0.0.1:PORT --pid SERVER_PID --system addressable|nchan \
 *     [--attacks baseline,slow-bodies,slowloris,ghost-polls,memory,slow-readers] [--seconds 20] [--warmup 2]
 *     [--slow-bodies 200] [--body-length 60000] [--slow-body-channels 10]
 *     [--slowloris 500] [--header-every-ms 3000]
 *     [--ghost-rate 500] [--ghost-channels 100] [--ghost-park-ms 100]
 *     [--memory-channels 400] [--memory-connections 16] [--message-bytes 65536] [--request-timeout-ms 10000]
 *     [--readers 10] [--reader-rate 500] [--reader-bytes 16384]
 *     [--probe-timeout-ms 5000] [--health-every-ms 100] [--send-every-ms 200] [--progress-every 5]
 *     [--source-base 2] [--sources 8] [--results bench/results/hostile.jsonl] [--run ID] [--label TEXT]
 *     [--max-seconds 900]
 * </pre>
 *
 * Loopback only. Bounded: every attack has a fixed number of sockets or a fixed rate, every phase
 * a fixed time, and the whole run stops itself after {@code --max-seconds} (default 900).
 */
public final class Hostile {

  static final List<String> ATTACKS = List.of("baseline", "slow-bodies", "slowloris", "ghost-polls", "memory",
      "slow-readers");

  private static final List<String> OPTIONS = List.of("url", "pid", "system", "attacks", "seconds", "warmup",
      "slow-bodies", "body-length", "slow-body-channels", "slowloris", "header-every-ms", "ghost-rate",
      "ghost-channels", "ghost-park-ms", "memory-channels", "memory-connections", "message-bytes",
      "request-timeout-ms", "readers", "reader-rate", "reader-bytes", "probe-timeout-ms", "health-every-ms",
      "send-every-ms", "progress-every", "source-base", "sources", "results", "run", "label", "max-seconds");

  public static void main(String[] argv) throws Exception {
    Settings s = new Settings(argv);
    s.checkNames(OPTIONS);
    long maxSeconds = s.number("max-seconds", 900, 10, 86_400);
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(maxSeconds * 1000);
        System.err.println("hostile: --max-seconds " + maxSeconds + " reached; stopping");
        System.exit(4);
      } catch (InterruptedException ignored) {
        // finished in time
      }
    }, "hostile-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();

    URI url = URI.create(s.text("url", null));
    Site site = new Site(s.text("system", null), url);
    ServerWatch watch = new ServerWatch(s.number("pid", 0, 1, Long.MAX_VALUE), url.getPort());
    List<String> attacks = List.of(s.text("attacks", String.join(",", ATTACKS)).split(","));
    for (String a : attacks) {
      if (!ATTACKS.contains(a)) {
        throw new IllegalArgumentException("--attacks takes " + ATTACKS + ": " + a);
      }
    }
    Phase.Timing timing = new Phase.Timing(s.number("seconds", 20, 1, 3600), s.number("warmup", 2, 0, 60),
        s.number("probe-timeout-ms", 5000, 100, 60_000), s.number("health-every-ms", 100, 10, 10_000),
        s.number("send-every-ms", 200, 10, 10_000), s.number("progress-every", 5, 1, 3600));
    Sources sources = new Sources((int) s.number("source-base", 2, 2, 250), (int) s.number("sources", 8, 1, 64));
    Path results = Path.of(s.text("results", "bench/results/hostile.jsonl"));
    String run = s.text("run", Instant.now().toString());
    String label = s.text("label", "");
    ObjectMapper json = new ObjectMapper();
    Phase phase = new Phase(site, watch, timing, System.out);

    for (String name : attacks) {
      ObjectNode record = json.createObjectNode().put("ts", Instant.now().toString()).put("run", run)
          .put("system", site.system).put("attack", name).put("label", label);
      if (!watch.alive()) {
        record.put("error", "the server process is not running").put("failed", true);
        Results.append(results, record);
        System.out.printf("[%s] %s: skipped, the server is not running%n", site.system, name);
        continue;
      }
      s.forget();
      EventLoop attackLoop = new EventLoop("attack");
      Attack attack = switch (name) {
        case "baseline" -> new Baseline();
        case "slow-bodies" -> new SlowBodies(site, attackLoop, sources, s);
        case "slowloris" -> new Slowloris(site, attackLoop, sources, s);
        case "ghost-polls" -> new GhostPolls(site, attackLoop, sources, s);
        case "memory" -> new MemoryPressure(site, attackLoop, sources, s);
        case "slow-readers" -> new SlowReaders(site, attackLoop, sources, s);
        default -> throw new IllegalStateException(name);
      };
      s.writeUsed(record.putObject("params"));
      record.putObject("timing").put("seconds", timing.seconds()).put("warmup_seconds", timing.warmupSeconds())
          .put("probe_timeout_ms", timing.probeTimeoutMillis()).put("health_every_ms", timing.healthEveryMillis())
          .put("send_every_ms", timing.sendEveryMillis());
      System.out.printf("[%s] %s: %d s%n", site.system, name, timing.seconds());
      try {
        phase.run(attack, attackLoop, record);
      } catch (Exception e) {
        record.put("error", e.toString()).put("failed", true);
        System.out.printf("[%s] %s: could not run: %s%n", site.system, name, e);
      }
      Results.append(results, record);
      System.out.printf("[%s] %s: %s%n", site.system, name, record.path("attack_figures").path("summary").asText(""));
    }
    System.exit(0);
  }

  private Hostile() {}
}
