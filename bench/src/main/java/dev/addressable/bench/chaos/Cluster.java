package dev.addressable.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The processes under test: one redis-server (in its own directory, {@code --save ""
 * --appendonly no} then {@code --redis-conf}) and the relays, each on its own port with its own
 * data directory holding one shared {@code relay.secret}, started with {@code --redis}. With
 * {@code --store memory}, one relay and no Redis.
 *
 * <p>{@link #start} fails fast with {@link NotReady} when the relays cannot be the cluster the
 * run needs: a relay that refuses {@code --redis}, or relays that do not share their channels (a
 * channel opened on relay 2 unknown to relay 1, or a message sent through relay 1 never reaching
 * relay 2).
 */
final class Cluster implements AutoCloseable {

  /** The relays cannot run the chaos scenario; the message says why, for a person. */
  static final class NotReady extends Exception {
    NotReady(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  final Node redis;
  final List<Node> relays = new ArrayList<>();
  private final Settings settings;
  /** Whether a send repeated with the same mid was stored once (checked by {@link #start}). */
  boolean midHonoured;

  Cluster(Settings s, Path work) throws IOException {
    this.settings = s;
    if (s.redis()) {
      Path dir = Files.createDirectories(work.resolve("redis"));
      int port = Node.freePort();
      List<String> cmd = new ArrayList<>(List.of(s.redisServer().toString(), "--port", Integer.toString(port),
          "--bind", "127.0.0.1", "--dir", dir.toString(), "--daemonize", "no", "--save", "", "--appendonly", "no"));
      cmd.addAll(s.redisConf());
      redis = new Node("redis-server", port, cmd, work.resolve("redis.log"), () -> ping(port));
    } else {
      redis = null;
    }
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    for (int i = 1; i <= s.relays(); i++) {
      Path data = Files.createDirectories(work.resolve("relay-data-" + i));
      Path file = data.resolve("relay.secret");
      Files.writeString(file, Base64.getEncoder().encodeToString(secret) + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      int port = Node.freePort();
      List<String> cmd = new ArrayList<>();
      cmd.add(s.relayJava());
      cmd.addAll(s.relayJvm());
      cmd.addAll(List.of("-jar", s.relayJar().toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
          "--data-dir", data.toString()));
      if (redis != null) {
        cmd.addAll(List.of("--redis", "redis://127.0.0.1:" + redis.port));
      }
      // The default --max-polls-per-client (4) stays on: each tab is a client of its own with one
      // receiver (Tab.connect), so a client holds one poll or stream per relay, two while a
      // reconnect overlaps the connection the relay has not seen close yet.
      cmd.addAll(s.relayArgs());
      relays.add(new Node("relay-" + i, port, cmd, work.resolve("relay-" + i + ".log"), () -> Node.answers200(port, "/health")));
    }
  }

  void start() throws IOException, InterruptedException, NotReady {
    if (redis != null) {
      redis.start(15);
    }
    for (Node relay : relays) {
      relay.launch(); // side by side: JVM starts are the slow part
    }
    for (Node relay : relays) {
      try {
        relay.awaitReady(90);
      } catch (IOException e) {
        if (relay.tail(50).contains("unknown option: --redis")) {
          throw new NotReady("this relay has no --redis yet (" + relay.name + " refused the flag; cluster mode is issue 16): "
              + "the chaos run needs relays that share one Redis");
        }
        throw e;
      }
    }
    if (relays.size() > 1) {
      checkSharedChannels();
    }
    midHonoured = checkMid();
  }

  private void checkSharedChannels() throws IOException, NotReady {
    InetSocketAddress one = relays.get(0).address();
    InetSocketAddress two = relays.get(1).address();
    Tab tab = Tab.connect(two, 1, "preflight", "longpoll");
    RawHttp.Answer sent = RawHttp.get(one, tab.path + "?message=preflight", Map.of(), 5000);
    if (sent.status() != 202) {
      throw new NotReady("the relays do not share their channels: a send through relay-1 to a channel opened on relay-2 "
          + "answered " + sent.status() + " " + sent.body().trim() + ". This relay's --redis has no shared store yet "
          + "(issue 16); the chaos run needs it.");
    }
    RawHttp.Answer poll = RawHttp.get(two, "/poll?" + tab.receiveQuery(false) + "&timeout=5",
        Map.of("Authorization", "Bearer " + tab.key), 10_000);
    if (!poll.body().contains("\"data\":\"preflight\"")) {
      throw new NotReady("a message sent through relay-1 (202) did not reach its receiver on relay-2 within 5 s: "
          + poll.status() + " " + poll.body().trim());
    }
  }

  /** Sends one message twice with one mid: stored once (the same seq) if the relay honours mids. */
  private boolean checkMid() throws IOException {
    InetSocketAddress one = relays.get(0).address();
    String target = Tab.connect(one, 0, "midcheck", "longpoll").path + "?message=m&mid=preflight-mid";
    JsonNode first = JSON.readTree(RawHttp.get(one, target, Map.of(), 5000).body());
    JsonNode again = JSON.readTree(RawHttp.get(relays.get(relays.size() - 1).address(), target, Map.of(), 5000).body());
    return first.path("seq").asLong(-1) == again.path("seq").asLong(-2);
  }

  static String pathOf(String url) {
    int scheme = url.indexOf("://");
    return scheme < 0 ? url : url.substring(url.indexOf('/', scheme + 3));
  }

  List<InetSocketAddress> relayAddresses() {
    return relays.stream().map(Node::address).toList();
  }

  String describe() {
    String store = redis == null ? "no Redis (--store memory: the tool's own check, not a chaos run)"
        : "one redis-server on port " + redis.port + " (--save \"\" --appendonly no"
            + (settings.redisConf().isEmpty() ? "" : " " + String.join(" ", settings.redisConf())) + ")";
    return relays.size() + " relay(s) from " + settings.relayJar() + ", " + store;
  }

  @Override
  public void close() throws InterruptedException {
    for (Node relay : relays) {
      relay.stop();
    }
    if (redis != null) {
      redis.stop();
    }
  }

  /** Whether a Redis on {@code port} answers PING with PONG. */
  static boolean ping(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[16];
      int n = in.read(buf);
      return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }
}
