package dev.addressable.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.addressable.bench.load.Cpu;
import dev.addressable.bench.load.EventLoop;
import dev.addressable.bench.load.Histogram;
import dev.addressable.bench.system.Servers;
import dev.addressable.bench.system.Subscription;
import dev.addressable.bench.system.Target;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A load helper process: holds many receivers on one event loop, every socket bound to its own
 * loopback source address (so each helper has its own ~28,000 ephemeral ports and its own 20,000
 * open files). The coordinator ({@link AgentHandle}) drives it with one JSON command per line on
 * stdin and reads one JSON answer per line from stdout:
 *
 * <ul>
 *   <li>{@code subscribe} {first, count, prefix | channel, client?, key?, topic?, subscribeKey?, unique, window?}: opens receivers
 *       and answers {@code subscribed} with their addresses once each has sent its first poll;
 *   <li>{@code stats} {reset?, from?, hist?}: what arrived since the last reset, and this process's
 *       CPU time; {@code from} makes it ignore messages numbered below it from then on;
 *   <li>{@code close}: closes every socket (with RST) and exits.
 * </ul>
 *
 * It exits by itself when stdin closes (the coordinator died) or after {@code --max-seconds}.
 * {@code --server} may name several servers ({@code host:port,host:port}): receiver number i
 * connects to the i-th, round-robin.
 *
 * <pre>java -cp bench.jar dev.addressable.bench.agent.Agent --system S --server 127.0.0.1:P --source 127.0.0.2</pre>
 */
public final class Agent {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SETUP_WINDOW = 256;
  /** Receivers setting up at once: {@link #SETUP_WINDOW}, or what the subscribe command says. */
  private int setupWindow = SETUP_WINDOW;

  final EventLoop loop;
  final Target target;
  private final List<InetSocketAddress> servers;
  final InetAddress source;
  boolean closing;

  // Counters: touched on the loop thread only.
  private final Histogram latency = new Histogram();
  private final BitSet seen = new BitSet();
  private boolean unique;
  private long from;
  private long received;
  private long uniqueCount;
  private long duplicates;
  private long malformed;
  long pollErrors;
  long reopens;
  /** Setups answered 503 or 429 and tried again later (a relay shedding a burst of connects). */
  long setupRetries;
  private String lastError;

  private final List<Receiver> receivers = new ArrayList<>();
  private final ArrayDeque<Receiver> toOpen = new ArrayDeque<>();
  private int inSetup;
  private int pendingSubscribe;
  private int failedCount;

  private Agent(Target target, List<InetSocketAddress> servers, InetAddress source) throws java.io.IOException {
    this.target = target;
    this.servers = servers;
    this.source = source;
    this.loop = new EventLoop("agent-" + source.getHostAddress());
  }

  public static void main(String[] args) throws Exception {
    String system = arg(args, "--system", null);
    String[] hostPorts = arg(args, "--server", "127.0.0.1:8080").split(",");
    InetAddress source = InetAddress.getByName(arg(args, "--source", "127.0.0.2"));
    long maxSeconds = Long.parseLong(arg(args, "--max-seconds", "900"));
    List<InetSocketAddress> servers = new ArrayList<>();
    for (String hostPort : hostPorts) {
      InetSocketAddress server = Servers.address(hostPort.trim());
      if (!server.getAddress().isLoopbackAddress() || !source.isLoopbackAddress()) {
        throw new IllegalArgumentException("agents only use loopback addresses: " + server + " from " + source);
      }
      servers.add(server);
    }
    Agent agent = new Agent(Target.of(system, hostPorts[0].trim()), servers, source);
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(maxSeconds * 1000);
        System.err.println("agent " + source.getHostAddress() + ": --max-seconds reached, exiting");
      } catch (InterruptedException ignored) {
        // exit anyway
      }
      Runtime.getRuntime().halt(3);
    }, "agent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      JsonNode command = JSON.readTree(line);
      agent.loop.execute(() -> agent.handle(command));
    }
    Runtime.getRuntime().halt(0); // the coordinator went away
  }

  private void handle(JsonNode c) {
    switch (c.path("op").asText()) {
      case "subscribe" -> subscribe(c);
      case "stats" -> reply(stats(c.path("hist").asBoolean(true)), c.path("reset").asBoolean(false), c.path("from"));
      case "close" -> {
        closing = true;
        new Thread(() -> {
          loop.close();
          ObjectNode done = JSON.createObjectNode().put("op", "closed");
          answer(done);
          Runtime.getRuntime().halt(0);
        }, "agent-close").start();
      }
      default -> noteError("unknown command: " + c);
    }
  }

  private void subscribe(JsonNode c) {
    int first = c.path("first").asInt();
    int count = c.path("count").asInt();
    String channel = c.path("channel").asText(null);
    String prefix = c.path("prefix").asText("r");
    unique = c.path("unique").asBoolean(true);
    setupWindow = Math.max(1, c.path("window").asInt(SETUP_WINDOW));
    for (int i = first; i < first + count; i++) {
      Subscription sub = new Subscription(i, channel != null ? channel : prefix + i);
      sub.client = c.path("client").asText(null);
      sub.key = c.path("key").asText(null);
      sub.topic = c.path("topic").asText(null);
      sub.subscribeKey = c.path("subscribeKey").asText(null);
      Receiver r = new Receiver(this, sub);
      receivers.add(r);
      toOpen.add(r);
    }
    pendingSubscribe += count;
    openMore();
  }

  private void openMore() {
    while (inSetup < setupWindow && !toOpen.isEmpty()) {
      inSetup++;
      toOpen.poll().open();
    }
  }

  void onStarted(Receiver r) {
    setupDone();
  }

  void onFailed(Receiver r) {
    failedCount++;
    if (!r.started()) {
      setupDone();
    }
  }

  private void setupDone() {
    if (pendingSubscribe == 0) {
      return; // a re-open after the subscribe finished
    }
    inSetup--;
    pendingSubscribe--;
    openMore();
    if (pendingSubscribe == 0) {
      ObjectNode out = JSON.createObjectNode().put("op", "subscribed").put("failed", failedCount)
          .put("setupRetries", setupRetries);
      ArrayNode addresses = out.putArray("addresses");
      for (Receiver r : receivers) {
        addresses.add(r.sub.address == null ? "" : r.sub.address);
      }
      if (lastError != null) {
        out.put("lastError", lastError);
      }
      answer(out);
    }
  }

  /** A message arrived; its text is {@code <id>_<nanoTime at send>}. */
  void onMessage(String text) {
    long now = System.nanoTime();
    int sep = text.indexOf('_');
    long id;
    long sent;
    try {
      id = Long.parseLong(text, 0, sep, 10);
      sent = Long.parseLong(text, sep + 1, text.length(), 10);
    } catch (RuntimeException e) {
      malformed++;
      return;
    }
    if (id < from) {
      return;
    }
    received++;
    if (unique) {
      int bit = (int) id;
      if (seen.get(bit)) {
        duplicates++;
        return;
      }
      seen.set(bit);
      uniqueCount++;
    }
    latency.record(now - sent);
  }

  /** The server receiver number {@code index} talks to. */
  InetSocketAddress serverFor(int index) {
    return servers.get(Math.floorMod(index, servers.size()));
  }

  void noteError(String why) {
    lastError = why;
  }

  private ObjectNode stats(boolean withHistogram) {
    ObjectNode out = JSON.createObjectNode().put("op", "stats")
        .put("received", received).put("unique", unique ? uniqueCount : received).put("duplicates", duplicates)
        .put("malformed", malformed).put("pollErrors", pollErrors).put("reopens", reopens)
        .put("failed", failedCount).put("cpu", Cpu.processNanos());
    int waiting = 0;
    for (Receiver r : receivers) {
      if (r.waiting) {
        waiting++;
      }
    }
    out.put("waiting", waiting).put("receivers", receivers.size());
    if (withHistogram) {
      ArrayNode h = out.putArray("hist");
      latency.toSparse().forEach(h::add);
    }
    if (lastError != null) {
      out.put("lastError", lastError);
    }
    return out;
  }

  private void reply(ObjectNode out, boolean reset, JsonNode newFrom) {
    answer(out);
    if (reset) {
      latency.reset();
      seen.clear();
      received = 0;
      uniqueCount = 0;
      duplicates = 0;
      malformed = 0;
      pollErrors = 0;
      if (newFrom.isNumber()) {
        from = newFrom.asLong();
      }
    }
  }

  private static synchronized void answer(ObjectNode out) {
    System.out.println(out.toString());
    System.out.flush();
  }

  private static String arg(String[] args, String name, String dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    if (dflt == null) {
      throw new IllegalArgumentException(name + " is required");
    }
    return dflt;
  }
}
