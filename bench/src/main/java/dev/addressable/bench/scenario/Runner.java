package dev.addressable.bench.scenario;

import java.util.HashMap;
import java.util.Map;

/**
 * Runs one scenario against one running system and appends its figures to the results file.
 * {@code bench/run.sh} starts the servers and calls this once per system and scenario.
 *
 * <pre>
 * java -cp bench/target/bench.jar dev.addressable.bench.scenario.Runner \
 *     --system addressable|addressable-redis|nchan|nchan-redis --server 127.0.0.1:PORT[,127.0.0.1:PORT…] \
 *     --pid SERVER_PID[,PID…] [--store-pid REDIS_PID] \
 *     --scenario latency|throughput|memory|fanout [--receivers N] [--seconds 20] [--rate 500]
 *     [--senders N] [--sizes 1000,10000] [--rounds 10] [--results FILE] [--run ID] [--label TEXT]
 * </pre>
 *
 * With several servers, sends go through the first and receivers are spread round-robin over the
 * others ({@link dev.addressable.bench.system.Servers}); {@code --pid} lists every server process
 * (CPU and memory are summed) and {@code --store-pid} the store's, recorded apart.
 *
 * <p>Bounded: every phase has a deadline, and the whole run stops itself after {@code --max-seconds}
 * (default 600), killing its helper processes.
 */
public final class Runner {

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
        throw new IllegalArgumentException("arguments are --name value pairs: " + argv[i]);
      }
      args.put(argv[i].substring(2), argv[++i]);
    }
    long maxSeconds = Long.parseLong(args.getOrDefault("max-seconds", "600"));
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(maxSeconds * 1000);
        System.err.println("runner: --max-seconds " + maxSeconds + " reached; stopping");
        System.exit(4);
      } catch (InterruptedException ignored) {
        // finished in time
      }
    }, "runner-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();

    String scenario = Bench.need(args, "scenario");
    try (Bench b = new Bench(args)) {
      switch (scenario) {
        case "latency" -> DeliveryScenario.run(b, args, false);
        case "throughput" -> DeliveryScenario.run(b, args, true);
        case "memory" -> MemoryScenario.run(b, args);
        case "fanout" -> FanoutScenario.run(b, args);
        default -> throw new IllegalArgumentException("scenario must be latency, throughput, memory or fanout: " + scenario);
      }
    }
    System.exit(0);
  }

  private Runner() {}
}
