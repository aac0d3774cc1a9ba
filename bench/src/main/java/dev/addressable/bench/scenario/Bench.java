package dev.addressable.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.addressable.bench.agent.AgentHandle;
import dev.addressable.bench.load.Cpu;
import dev.addressable.bench.load.EventLoop;
import dev.addressable.bench.load.Histogram;
import dev.addressable.bench.report.Results;
import dev.addressable.bench.system.ServerProbe;
import dev.addressable.bench.system.ServerProcess;
import dev.addressable.bench.system.Servers;
import dev.addressable.bench.system.Target;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every scenario shares: the system under test, its processes (for RSS and CPU from /proc),
 * the helper processes that hold receivers, the senders' event loop, CPU accounting of the load
 * generator (this process plus its helpers), and the results file.
 *
 * <p>A system may be several servers ({@link Servers}: sends through the first, receivers on the
 * others) and a store beside them ({@code --store-pid}, the Redis of {@code addressable-redis} and
 * {@code nchan-redis}). The store's CPU is recorded apart ({@code store_cpu_pct}), not in
 * {@code server_cpu_pct}; its memory is added to the server's in the memory scenario (and shown
 * apart too).
 */
final class Bench implements AutoCloseable {

  final String system;
  final Servers servers;
  final String hostPort;
  /** Where the senders send: the first server. */
  final InetSocketAddress sendServer;
  final Target target;
  final ServerProbe probe;
  final ServerProcess process;
  /** The store's process (redis-server), or null when the system has none. */
  final ServerProcess store;
  final Path results;
  final String run;
  final String label;
  /** The scenario's name in the results when {@code --name} gives one (latency at another size: latency100k). */
  final String name;
  final int perAgent;
  final long maxSeconds;
  /** Receivers each helper sets up at once ({@code --setup-window}), or 0 for the helper's own default. */
  final int setupWindow;
  final EventLoop loop;
  private int nextSource;
  final List<AgentHandle> agents = new ArrayList<>();

  Bench(Map<String, String> args) throws IOException {
    system = need(args, "system");
    servers = Servers.parse(args.getOrDefault("server", "127.0.0.1:8080"));
    hostPort = servers.send();
    sendServer = servers.sendAddress();
    target = Target.of(system, hostPort);
    probe = new ServerProbe(system, servers.receiveBases(), Integer.parseInt(args.getOrDefault("processes-per-port", "1")));
    process = ServerProcess.parse(need(args, "pid"));
    store = args.containsKey("store-pid") ? ServerProcess.parse(args.get("store-pid")) : null;
    results = Path.of(args.getOrDefault("results", "bench/results/results.jsonl"));
    run = args.getOrDefault("run", Instant.now().toString());
    label = args.getOrDefault("label", "");
    name = args.get("name");
    perAgent = Integer.parseInt(args.getOrDefault("per-agent", "10000"));
    maxSeconds = Long.parseLong(args.getOrDefault("max-seconds", "600"));
    setupWindow = Integer.parseInt(args.getOrDefault("setup-window", "0"));
    nextSource = Integer.parseInt(args.getOrDefault("source-base", "2"));
    loop = new EventLoop("senders");
  }

  static String need(Map<String, String> args, String name) {
    String v = args.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }

  /**
   * Starts enough helpers for {@code count} receivers (each on its own source address) and opens
   * the receivers; returns every receiver's send address, in order. Waits until the server itself
   * reports all of them parked.
   *
   * @param channel one channel for all (nchan fan-out), or null for {@code prefix + index} each
   */
  List<String> park(int count, String prefix, String channel, String client, String key, boolean unique)
      throws IOException, InterruptedException {
    return park(count, prefix, channel, client, key, null, null, unique);
  }

  /** As above, each receiver's channel following {@code topic} (with {@code subscribeKey}) when it is not null. */
  List<String> park(int count, String prefix, String channel, String client, String key, String topic,
      String subscribeKey, boolean unique) throws IOException, InterruptedException {
    long before = probe.parked();
    int helpers = (count + perAgent - 1) / perAgent;
    List<AgentHandle> started = new ArrayList<>();
    for (int i = 0; i < helpers; i++) {
      String source = "127.0.0." + (nextSource++);
      started.add(new AgentHandle(system, servers.receiveList(), source, maxSeconds));
    }
    agents.addAll(started);
    int first = 0;
    for (int i = 0; i < helpers; i++) {
      int n = count / helpers + (i < count % helpers ? 1 : 0);
      ObjectNode c = AgentHandle.command("subscribe").put("first", first).put("count", n).put("prefix", prefix)
          .put("unique", unique);
      if (channel != null) {
        c.put("channel", channel);
      }
      if (client != null) {
        c.put("client", client).put("key", key);
      }
      if (topic != null) {
        c.put("topic", topic).put("subscribeKey", subscribeKey);
      }
      if (setupWindow > 0) {
        c.put("window", setupWindow);
      }
      started.get(i).send(c);
      first += n;
    }
    List<String> addresses = new ArrayList<>(count);
    long setupRetries = 0;
    for (AgentHandle a : started) {
      // 10,000 receivers per helper set up in seconds on one server; six relays over one Redis on
      // two cores, with the JIT compilers of sixteen JVMs, took minutes for 100,000.
      JsonNode answer = a.await("subscribed", Duration.ofSeconds(180 + count / 200));
      setupRetries += answer.path("setupRetries").asLong();
      if (answer.path("failed").asInt() > 0) {
        throw new IOException("agent " + a.source + ": " + answer.path("failed").asInt() + " receivers failed to set up; last error: "
            + answer.path("lastError").asText());
      }
      answer.path("addresses").forEach(n -> addresses.add(n.asText()));
    }
    long deadline = System.nanoTime() + 60_000_000_000L;
    long parked;
    while ((parked = probe.parked()) < before + parkedEnough(count)) {
      if (System.nanoTime() > deadline) {
        throw new IOException("only " + (parked - before) + " of " + count + " receivers parked on the server after 60 s");
      }
      Thread.sleep(100);
    }
    log("%d receivers parked (server reports %d) from %d helper process(es)%s", count, parked, helpers,
        setupRetries == 0 ? "" : "; " + setupRetries + " setups were answered 503/429 and tried again later");
    return addresses;
  }

  /**
   * How many of {@code count} receivers must be parked at once to count as all of them. Every
   * idle poll ends after 60 s and is made again, so with 100,000 parked some hundreds are always
   * between two polls: a thousandth may be missing at any moment.
   */
  static long parkedEnough(int count) {
    return count - count / 1000;
  }

  /** Closes every helper (their sockets end with RST). */
  void closeAgents() {
    agents.forEach(AgentHandle::close);
    agents.clear();
  }

  /** What the helpers saw since their last reset, summed; optionally resets them. */
  Stats stats(boolean reset, long from, boolean histogram) throws IOException, InterruptedException {
    ObjectNode c = AgentHandle.command("stats").put("reset", reset).put("hist", histogram);
    if (from >= 0) {
      c.put("from", from);
    }
    for (AgentHandle a : agents) {
      a.send(c);
    }
    Stats s = new Stats();
    for (AgentHandle a : agents) {
      JsonNode n = a.await("stats", Duration.ofSeconds(30));
      s.received += n.path("received").asLong();
      s.unique += n.path("unique").asLong();
      s.duplicates += n.path("duplicates").asLong();
      s.malformed += n.path("malformed").asLong();
      s.pollErrors += n.path("pollErrors").asLong();
      s.reopens += n.path("reopens").asLong();
      s.failed += n.path("failed").asLong();
      s.waiting += n.path("waiting").asLong();
      s.agentCpu += n.path("cpu").asLong();
      if (n.has("lastError")) {
        s.lastError = n.path("lastError").asText();
      }
      if (histogram) {
        List<Long> sparse = new ArrayList<>();
        n.path("hist").forEach(v -> sparse.add(v.asLong()));
        s.latency.add(Histogram.fromSparse(sparse));
      }
    }
    return s;
  }

  /** Summed helper counters. */
  static final class Stats {
    long received;
    long unique;
    long duplicates;
    long malformed;
    long pollErrors;
    long reopens;
    long failed;
    long waiting;
    long agentCpu;
    String lastError;
    final Histogram latency = new Histogram();
  }

  /** CPU used by the load generator (this process and its helpers), by the servers and by the store. */
  final class CpuWindow {
    private final long start = System.nanoTime();
    private final long generator0;
    private final long server0;
    private final long store0;
    private final long machine0;

    CpuWindow() throws IOException, InterruptedException {
      generator0 = Cpu.processNanos() + stats(false, -1, false).agentCpu;
      server0 = process.cpuNanos();
      store0 = store == null ? 0 : store.cpuNanos();
      machine0 = Cpu.machineBusyNanos();
    }

    /**
     * [generator %, server %, other processes %, store %] of one core over the window so far;
     * "other" is the machine's busy time less the rest (the machine is shared, so it is worth
     * seeing). Without a store the array has three entries.
     */
    double[] percent() throws IOException, InterruptedException {
      double wall = System.nanoTime() - start;
      long generator = Cpu.processNanos() + stats(false, -1, false).agentCpu - generator0;
      long server = process.cpuNanos() - server0;
      long used = store == null ? 0 : store.cpuNanos() - store0;
      long other = Math.max(0, Cpu.machineBusyNanos() - machine0 - generator - server - used);
      return store == null
          ? new double[] {100.0 * generator / wall, 100.0 * server / wall, 100.0 * other / wall}
          : new double[] {100.0 * generator / wall, 100.0 * server / wall, 100.0 * other / wall, 100.0 * used / wall};
    }
  }

  /** Prints one line per figure and appends one record to the results file. */
  void report(String scenario, Map<String, Object> params, Map<String, Number> figures, double[] cpu)
      throws IOException {
    scenario = name != null ? name : scenario;
    ObjectNode record = Results.newRecord().put("ts", Instant.now().toString()).put("run", run)
        .put("system", system).put("scenario", scenario).put("label", label);
    ObjectNode p = record.putObject("params");
    params.forEach((k, v) -> p.put(k, String.valueOf(v)));
    ObjectNode f = record.putObject("figures");
    for (Map.Entry<String, Number> e : figures.entrySet()) {
      Number v = e.getValue();
      if (v instanceof Double || v instanceof Float) {
        f.put(e.getKey(), Math.round(v.doubleValue() * 1000) / 1000.0);
      } else {
        f.put(e.getKey(), v.longValue());
      }
    }
    if (cpu != null) {
      record.put("generator_cpu_pct", Math.round(cpu[0]));
      record.put("server_cpu_pct", Math.round(cpu[1]));
      record.put("other_cpu_pct", Math.round(cpu[2]));
      if (cpu.length > 3) {
        record.put("store_cpu_pct", Math.round(cpu[3]));
      }
    }
    record.put("loadavg", loadAverage());
    String cpuText = cpu == null ? "" : String.format(
        "   [cpu, %% of one core of 2: generator %.0f, server %.0f%s, other processes %.0f]", cpu[0], cpu[1],
        cpu.length > 3 ? String.format(", store %.0f", cpu[3]) : "", cpu[2]);
    for (Map.Entry<String, Number> e : figures.entrySet()) {
      System.out.printf("%-12s %-11s %-24s %14s%s%n", system, scenario, e.getKey(), format(e.getValue()), cpuText);
    }
    Results.append(results, record);
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "";
    }
  }

  private static String format(Number v) {
    if (v instanceof Double d) {
      return d >= 1000 ? String.format("%.0f", d) : String.format("%.3f", d);
    }
    return v.toString();
  }

  static Map<String, Number> figures() {
    return new LinkedHashMap<>();
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  void log(String format, Object... args) {
    System.err.printf("[%s] " + format + "%n", prepend(system, args));
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  @Override
  public void close() {
    closeAgents();
    loop.close();
  }
}
