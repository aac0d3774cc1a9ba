package dev.addressable.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fan-out: one message to N receivers, and the time from writing the send until the last of them
 * has it whole. Addressable: one client with N channels, the send goes to its client-wide address;
 * with {@code --topic true}, N clients of one channel each, every channel following one topic, and
 * the send is a publish to the topic (recorded as {@code topic<N>k}, else {@code fanout<N>k}).
 * Nchan: N subscribers on one channel, either way. Each size runs warm-up rounds, then
 * {@code --rounds} measured ones; between rounds every receiver is parked again (the server says
 * so) first. {@code --round-seconds} bounds how long a round may take to reach everyone (default
 * 10, and 2 more per 10,000 receivers).
 */
final class FanoutScenario {

  private static final ObjectMapper JSON = new ObjectMapper();

  private FanoutScenario() {}

  static void run(Bench b, Map<String, String> args) throws IOException, InterruptedException {
    int rounds = Integer.parseInt(args.getOrDefault("rounds", "10"));
    // 20 warm-up rounds: a fresh relay JVM is still compiling its send and poll paths after 5 (the
    // fan-out to 10,000 took 400-670 ms after 5 and 395-430 ms after 20, docs/BENCHMARKS.md).
    // Nginx needs none; it gets the same rounds.
    int warmupRounds = Integer.parseInt(args.getOrDefault("warmup-rounds", "20"));
    boolean topic = Boolean.parseBoolean(args.getOrDefault("topic", "false"));
    for (String size : args.getOrDefault("sizes", "1000,10000").split(",")) {
      int n = Integer.parseInt(size.trim());
      long roundSeconds = Long.parseLong(args.getOrDefault("round-seconds", Long.toString(10 + 2L * n / 10_000)));
      runSize(b, n, rounds, warmupRounds, topic, roundSeconds);
    }
  }

  private static void runSize(Bench b, int n, int rounds, int warmupRounds, boolean topic, long roundSeconds)
      throws IOException, InterruptedException {
    String address;
    String client = null;
    String key = null;
    String channel = null;
    String topicId = null;
    String subscribeKey = null;
    String prefix = (topic ? "t" : "f") + n + "x";
    if (b.target.system().equals("addressable") && topic) {
      JsonNode made = JSON.readTree(b.probe.post("/topics", "{}"));
      topicId = made.get("topic").asText();
      subscribeKey = made.get("subscribeKey").asText();
      address = URI.create(made.get("url").asText()).getRawPath();
    } else if (b.target.system().equals("addressable")) {
      JsonNode tab = JSON.readTree(b.probe.connect("{\"channel\":\"" + prefix + "0\"}"));
      client = tab.get("client").asText();
      key = tab.get("key").asText();
      address = URI.create(tab.get("clientUrl").asText()).getRawPath();
    } else {
      channel = "fan" + n;
      address = "/pub/" + channel;
    }
    long parkedBase = b.probe.parked();
    b.park(n, prefix, channel, client, key, topicId, subscribeKey, false);
    List<Double> allMs = new ArrayList<>();
    List<Double> medianMs = new ArrayList<>();
    long lost = 0;
    Bench.CpuWindow cpu = null;
    try (Senders senders = new Senders(b.loop, b.target, b.sendServer, 1)) {
      for (int round = 0; round < warmupRounds + rounds; round++) {
        boolean measured = round >= warmupRounds;
        if (measured && cpu == null) {
          cpu = b.new CpuWindow();
        }
        awaitParked(b, parkedBase + Bench.parkedEnough(n), roundSeconds);
        long id = senders.nextId();
        b.stats(true, id, false);
        senders.start(Plans.once(address));
        long deadline = System.nanoTime() + roundSeconds * 1_000_000_000L;
        Bench.Stats s;
        while ((s = b.stats(false, -1, false)).received < n && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        senders.stop();
        senders.awaitIdle(1, roundSeconds * 1000);
        s = b.stats(false, -1, true);
        if (!measured) {
          continue;
        }
        lost += n - s.received;
        allMs.add(Bench.ms(s.latency.max()));
        medianMs.add(Bench.ms(s.latency.quantile(0.5)));
        b.log("%s %d round %d: all %d have it after %.1f ms (median receiver %.1f ms)",
            topic ? "topic" : "fan-out", n, round - warmupRounds + 1, s.received, allMs.get(allMs.size() - 1),
            medianMs.get(medianMs.size() - 1));
      }
      if (senders.refused.get() > 0) {
        b.log("sends refused: %d, last: %s", senders.refused.get(), senders.lastRefusal);
      }
    }
    double[] cpuPct = cpu.percent();
    b.closeAgents();
    Map<String, Number> f = Bench.figures();
    f.put("all_have_it_median_ms", median(allMs));
    f.put("all_have_it_min_ms", allMs.stream().mapToDouble(Double::doubleValue).min().orElse(0));
    f.put("all_have_it_max_ms", allMs.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    f.put("median_receiver_ms", median(medianMs));
    f.put("lost", lost);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("receivers", n);
    params.put("rounds", rounds);
    params.put("warmup_rounds", warmupRounds);
    params.put("addressable_send", topic ? "a publish to one topic every receiver's channel follows" : "a client-wide send");
    b.report((topic ? "topic" : "fanout") + (n >= 1000 ? n / 1000 + "k" : n), params, f, cpuPct);
  }

  private static void awaitParked(Bench b, long count, long roundSeconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + (20 + roundSeconds) * 1_000_000_000L;
    while (b.probe.parked() < count) {
      if (System.nanoTime() > deadline) {
        throw new IOException("receivers did not park again within " + (20 + roundSeconds) + " s: " + b.probe.parked()
            + " of " + count);
      }
      Thread.sleep(20);
    }
    Thread.sleep(200); // let the last re-polls settle on both sides
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    return v.length == 0 ? 0 : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
