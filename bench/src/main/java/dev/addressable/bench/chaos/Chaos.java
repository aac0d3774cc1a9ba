package dev.addressable.bench.chaos;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.addressable.bench.report.Results;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The chaos run of issue 16, bounded in time: one redis-server and three relays sharing it
 * ({@code --redis}), browsers simulated on all four transports (long-poll, JSONP, SSE, WebSocket;
 * one tab and channel per receiver), backends sending with a {@code mid} per message and retrying
 * with it, and relays killed with {@code kill -9} and restarted at random for {@code --seconds}
 * while messages flow. Receivers whose relay dies go on from their last cursor on another relay.
 * After the last send it waits up to {@code --drain} seconds for what was acknowledged, then
 * prints sent, acknowledged, delivered, duplicated (after the client's de-dup), lost,
 * reported-missed and 503s ({@link Tally}), appends them to {@code --results}, and exits 1 if a
 * promise of CLUSTER.md §9 for node kills was broken, 0 if none was.
 *
 * <p>It needs relays that share their channels: {@link Cluster#start} checks that first and
 * stops (exit 3) with a sentence saying what is missing. {@code --store memory} runs one relay
 * without Redis instead, to check the tool itself (its transports and bookkeeping; killing that
 * relay loses its channels, so missed and 404s are expected there and nothing is judged).
 *
 * <pre>bench/chaos.sh [--seconds 300] [--relays 3] …   (java … dev.addressable.bench.chaos.Chaos --help)</pre>
 */
public final class Chaos {

  private static final String[] TRANSPORTS = {"longpoll", "jsonp", "sse", "websocket"};

  public static void main(String[] argv) throws Exception {
    if (java.util.Arrays.asList(argv).contains("--help") || java.util.Arrays.asList(argv).contains("-h")) {
      System.out.print(Settings.USAGE);
      return;
    }
    Settings s;
    try {
      s = Settings.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("chaos: " + e.getMessage());
      System.exit(2);
      return;
    }
    long bound = s.seconds() + s.drain() + 300L;
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(bound * 1000);
        System.err.println("chaos: still running after " + bound + " s; stopping (its processes are killed)");
        System.exit(4);
      } catch (InterruptedException ignored) {
        // finished
      }
    }, "chaos-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    System.exit(new Chaos(s, System.out).run());
  }

  private final Settings s;
  private final PrintStream out;
  private final SplittableRandom random;

  Chaos(Settings s, PrintStream out) {
    this.s = s;
    this.out = out;
    this.random = new SplittableRandom(s.seed());
  }

  int run() throws IOException, InterruptedException {
    if (!Files.isRegularFile(s.relayJar())) {
      out.println("chaos: no relay jar at " + s.relayJar() + " (build it: mvn -B -ntp -q package -DskipTests -pl relay -am)");
      return 2;
    }
    if (s.redis() && !Files.isExecutable(s.redisServer())) {
      out.println("chaos: no redis-server at " + s.redisServer() + " (apt-get install -y redis-server)");
      return 2;
    }
    Path work = s.work() != null ? Files.createDirectories(s.work()) : Files.createTempDirectory("addressable-chaos");
    String run = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
    try (Cluster cluster = new Cluster(s, work)) {
      out.printf("chaos run %s, seed %d: %s; logs in %s%n", run, s.seed(), cluster.describe(), work);
      try {
        cluster.start();
      } catch (Cluster.NotReady e) {
        out.println("chaos: cannot run: " + e.getMessage());
        return 3;
      }
      if (!cluster.midHonoured) {
        out.println("note: a send repeated with the same mid was stored twice: this relay does not honour mid yet, "
            + "so a retried send may count as duplicated");
      }
      return flow(cluster, run);
    } finally {
      out.flush();
    }
  }

  /** Tabs, receivers, senders and the killer for --seconds; then the drain and the tally. */
  private int flow(Cluster cluster, String run) throws IOException, InterruptedException {
    List<InetSocketAddress> relays = cluster.relayAddresses();
    Ledger ledger = new Ledger();
    List<Tab> tabs = new ArrayList<>();
    List<Receiver> receivers = new ArrayList<>();
    for (String transport : TRANSPORTS) {
      for (int i = 0; i < s.receiversPerTransport(); i++) {
        int relay = tabs.size() % relays.size();
        Tab tab = Tab.connect(relays.get(relay), relay, transport + i, transport);
        tabs.add(tab);
        ledger.channel(tab.label, transport);
        receivers.add(receiver(tab, ledger, relays));
      }
    }
    receivers.forEach(Receiver::start);
    Thread.sleep(2000); // streams open, polls park
    out.printf("%d receivers (%d per transport: %s), %d senders at %.0f sends/s for %d s, a kill every %d-%d s, down %d-%d s%n",
        tabs.size(), s.receiversPerTransport(), String.join(", ", TRANSPORTS), s.senders(), s.rate(), s.seconds(),
        s.killMin(), s.killMax(), s.downMin(), s.downMax());

    long start = System.nanoTime();
    long stopAt = start + s.seconds() * 1_000_000_000L;
    List<Sender> senders = new ArrayList<>();
    for (int j = 0; j < s.senders(); j++) {
      List<Tab> owned = new ArrayList<>();
      for (int i = j; i < tabs.size(); i += s.senders()) {
        owned.add(tabs.get(i));
      }
      Sender sender = new Sender(owned, ledger, relays, s.rate() / s.senders(), random.nextLong());
      senders.add(sender);
      sender.start(stopAt, "sender-" + j);
    }
    Killer killer = new Killer(cluster.relays, s, random.nextLong(), out, start);
    killer.start(stopAt);
    while (System.nanoTime() < stopAt) {
      Thread.sleep(Math.min(10_000, Math.max(1, (stopAt - System.nanoTime()) / 1_000_000)));
      Tally t = ledger.tally();
      out.printf("t=%5.1fs  sent %d, acknowledged %d, delivered %d, not yet delivered %d, 503s %d/%d, kills %d%n",
          (System.nanoTime() - start) / 1e9, t.sent(), t.acknowledged(), t.delivered(), ledger.outstanding(), t.send503(),
          t.receive503(), killer.kills);
    }
    killer.stopAndHeal();
    for (Sender sender : senders) {
      sender.stop();
    }
    for (Sender sender : senders) {
      sender.join(Sender.GIVE_UP_NANOS / 1_000_000 + 5000);
    }
    long drainEnd = System.nanoTime() + s.drain() * 1_000_000_000L;
    while (ledger.outstanding() > 0 && System.nanoTime() < drainEnd) {
      Thread.sleep(200);
    }
    receivers.forEach(Receiver::stop);
    long joinBy = System.nanoTime() + (s.pollTimeout() + 6) * 1_000_000_000L;
    for (Receiver r : receivers) {
      r.join(joinBy);
    }
    Tally tally = ledger.tally();
    out.printf("%n%d kills, %d restarts%s; receivers moved relay %d times%n", killer.kills, killer.restarts,
        killer.failure == null ? "" : " (a restart failed: " + killer.failure + ")",
        receivers.stream().mapToLong(r -> r.moves).sum());
    tally.print(out);
    List<String> broken = tally.brokenPromises();
    write(run, cluster, tally, killer);
    if (!s.redis()) {
      out.println("store memory: the tool's own check; no promise is judged");
      return 0;
    }
    if (broken.isEmpty()) {
      out.println("CLUSTER.md §9 (node kill -9): every promise held");
      return 0;
    }
    out.println("CLUSTER.md §9 (node kill -9) broken: " + String.join("; ", broken));
    return 1;
  }

  private Receiver receiver(Tab tab, Ledger ledger, List<InetSocketAddress> relays) {
    long seed = random.nextLong();
    return switch (tab.transport) {
      case "longpoll" -> new LongPollReceiver(tab, ledger, relays, s.pollTimeout(), seed);
      case "jsonp" -> new JsonpReceiver(tab, ledger, relays, s.pollTimeout(), seed);
      case "sse" -> new SseReceiver(tab, ledger, relays, s.pollTimeout(), seed);
      default -> new WebSocketReceiver(tab, ledger, relays, s.pollTimeout(), seed);
    };
  }

  private void write(String run, Cluster cluster, Tally tally, Killer killer) throws IOException {
    ObjectNode record = Results.newRecord().put("ts", Instant.now().toString()).put("run", run)
        .put("tool", "chaos").put("store", s.redis() ? "redis" : "memory").put("label", cluster.describe());
    record.putObject("params").put("seconds", s.seconds()).put("relays", s.relays())
        .put("receivers_per_transport", s.receiversPerTransport()).put("rate", s.rate()).put("senders", s.senders())
        .put("kill_every", s.killMin() + "-" + s.killMax()).put("down", s.downMin() + "-" + s.downMax())
        .put("drain", s.drain()).put("seed", s.seed()).put("mid_honoured", cluster.midHonoured);
    ObjectNode counts = record.putObject("figures");
    tally.write(counts);
    counts.put("kills", killer.kills).put("restarts", killer.restarts);
    Results.append(s.results(), record);
    out.println("appended to " + s.results());
  }
}
