package dev.addressable.bench.chaos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chaos run's options: {@code --name value} pairs, each with a default. Unknown names and
 * malformed values are refused with a message naming them.
 */
record Settings(Path relayJar, String relayJava, List<String> relayJvm, List<String> relayArgs, Path redisServer,
    List<String> redisConf, boolean redis, int relays, int receiversPerTransport, double rate, int senders,
    int seconds, int killMin, int killMax, int downMin, int downMax, int drain, int pollTimeout, long seed,
    Path results, Path work) {

  static final String USAGE = """
      java -cp bench.jar dev.addressable.bench.chaos.Chaos [--name value]…
        --seconds 300          how long messages flow while relays are killed and restarted
        --relays 3             relay processes sharing one redis-server
        --receivers 4          receivers per transport (long-poll, JSONP, SSE, WebSocket), one channel each
        --rate 40              sends per second, over all channels; each send carries a mid, retried with it
        --senders 4            sending threads; each owns a share of the channels and sends one at a time
        --kill-every 5-20      seconds between kills (uniform); one relay at a time, kill -9
        --down 1-5             seconds a killed relay stays down before it is restarted
        --drain 20             seconds to wait, after the last send, for what was acknowledged to arrive
        --poll-timeout 10      long-poll and JSONP timeout, seconds
        --seed N               the run's random choices (printed; default: from the clock)
        --relay-jar relay/target/relay.jar   --relay-java java   --relay-jvm "-XX:+UseSerialGC -Xmx256m"
        --relay-args "…"       more relay flags (split at spaces)
        --redis-server /usr/bin/redis-server  --redis-conf "…"  (after --save "" --appendonly no; split at spaces)
        --store redis          or memory: one relay without --redis, to check the tool itself (not a chaos run)
        --results bench/results/chaos.jsonl  --work DIR (default: a new temporary directory)
      """;

  private static final Set<String> NAMES = Set.of("relay-jar", "relay-java", "relay-jvm", "relay-args", "redis-server",
      "redis-conf", "store", "relays", "receivers", "rate", "senders", "seconds", "kill-every", "down", "drain",
      "poll-timeout", "seed", "results", "work");

  static Settings parse(String[] argv) {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      String name = argv[i].startsWith("--") ? argv[i].substring(2) : null;
      if (name == null || !NAMES.contains(name) || i + 1 >= argv.length) {
        throw new IllegalArgumentException("unknown or incomplete option: " + argv[i] + "\n" + USAGE);
      }
      a.put(name, argv[++i]);
    }
    String store = a.getOrDefault("store", "redis");
    if (!store.equals("redis") && !store.equals("memory")) {
      throw new IllegalArgumentException("--store must be redis or memory: " + store);
    }
    boolean redis = store.equals("redis");
    int relays = positive(a, "relays", redis ? "3" : "1");
    if (!redis && relays != 1) {
      throw new IllegalArgumentException("--store memory runs one relay (relays in memory share nothing): --relays " + relays);
    }
    int[] kill = range(a, "kill-every", "5-20");
    int[] down = range(a, "down", "1-5");
    String java = ProcessHandle.current().info().command().orElse("java");
    return new Settings(Path.of(a.getOrDefault("relay-jar", "relay/target/relay.jar")), a.getOrDefault("relay-java", java),
        words(a.getOrDefault("relay-jvm", "-XX:+UseSerialGC -Xss256k -Xmx256m")), words(a.getOrDefault("relay-args", "")),
        Path.of(a.getOrDefault("redis-server", "/usr/bin/redis-server")), words(a.getOrDefault("redis-conf", "")), redis,
        relays, positive(a, "receivers", "4"), Double.parseDouble(a.getOrDefault("rate", "40")),
        positive(a, "senders", "4"), positive(a, "seconds", "300"), kill[0], kill[1], down[0], down[1],
        Integer.parseInt(a.getOrDefault("drain", "20")), positive(a, "poll-timeout", "10"),
        Long.parseLong(a.getOrDefault("seed", Long.toString(System.nanoTime()))),
        Path.of(a.getOrDefault("results", "bench/results/chaos.jsonl")),
        a.containsKey("work") ? Path.of(a.get("work")) : null);
  }

  private static int positive(Map<String, String> a, String name, String dflt) {
    int v = Integer.parseInt(a.getOrDefault(name, dflt));
    if (v < 1) {
      throw new IllegalArgumentException("--" + name + " must be at least 1: " + v);
    }
    return v;
  }

  /** "a-b" seconds, 0 ≤ a ≤ b. */
  private static int[] range(Map<String, String> a, String name, String dflt) {
    String v = a.getOrDefault(name, dflt);
    String[] parts = v.split("-");
    int lo = Integer.parseInt(parts[0].trim());
    int hi = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : lo;
    if (lo < 0 || hi < lo) {
      throw new IllegalArgumentException("--" + name + " must be MIN-MAX seconds, 0 ≤ MIN ≤ MAX: " + v);
    }
    return new int[] {lo, hi};
  }

  private static List<String> words(String s) {
    return s.isBlank() ? List.of() : new ArrayList<>(Arrays.asList(s.trim().split("\\s+")));
  }
}
