package dev.addressable.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time for one topic publish to reach every subscriber: N channels subscribe to a topic and each
 * parks a long-poll (one socket each, read with one selector); then one {@code GET
 * topic?message=} and the clock runs until all N answers carrying it have arrived. Repeats and
 * prints the median. Loopback only; bounded by rounds and a 60 s cap per round.
 *
 * <pre>java -cp bench/target/bench.jar dev.addressable.bench.TopicFanout [--url http://127.0.0.1:8080] [--subscribers 10000] [--rounds 10]</pre>
 */
public final class TopicFanout {

  private static final Pattern CURSOR = Pattern.compile("\"cursor\":\"([^\"]+)\"");
  private static final Pattern LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");

  public static void main(String[] args) throws Exception {
    Relay relay = new Relay(Args.get(args, "--url", "http://127.0.0.1:8080"));
    int n = Integer.parseInt(Args.get(args, "--subscribers", "10000"));
    int rounds = Integer.parseInt(Args.get(args, "--rounds", "10"));
    String host = relay.base.getHost() + ":" + relay.base.getPort();

    var topic = Relay.read(relay.post("/topics", ""));
    String topicUrl = topic.get("url").asText();
    String subscribeKey = topic.get("subscribeKey").asText();
    List<Relay.Tab> tabs = new ArrayList<>(n);
    for (int from = 0; from < n; from += 250) {
      List<CompletableFuture<Relay.Tab>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + 250); i++) {
        batch.add(relay.connect("{}").thenCompose(tab -> relay.postAsync("/subscribe", "{\"client\":\"" + tab.client()
            + "\",\"key\":\"" + tab.key() + "\",\"channel\":\"" + tab.channel() + "\",\"topic\":\"" + topicUrl
            + "\",\"subscribeKey\":\"" + subscribeKey + "\"}").thenApply(ignored -> tab)));
      }
      batch.forEach(f -> tabs.add(f.join()));
      System.out.printf("subscribed %d of %d%n", tabs.size(), n);
    }
    String[] cursors = new String[n];
    for (int i = 0; i < n; i++) {
      cursors[i] = tabs.get(i).cursor();
    }

    long[] millis = new long[rounds];
    try (Selector selector = Selector.open()) {
      SocketChannel[] sockets = new SocketChannel[n];
      for (int i = 0; i < n; i++) {
        sockets[i] = SocketChannel.open(new InetSocketAddress(relay.base.getHost(), relay.base.getPort()));
        sockets[i].setOption(StandardSocketOptions.TCP_NODELAY, true);
        sockets[i].configureBlocking(false);
        sockets[i].register(selector, SelectionKey.OP_READ, i);
      }
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < n; i++) {
          ByteBuffer request = ByteBuffer.wrap(Relay.pollRequest(tabs.get(i), cursors[i], 50, host).getBytes(StandardCharsets.US_ASCII));
          while (request.hasRemaining()) {
            sockets[i].write(request);
          }
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (relay.metric("addressable_parked_requests") < n) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("polls never all parked");
          }
          Thread.sleep(20);
        }
        String message = "round-" + round;
        long start = System.nanoTime();
        CompletableFuture<String> published = relay.getAsync(topicUrl + "?message=" + message);
        int received = readAll(selector, n, message, cursors, start + 60_000_000_000L);
        millis[round] = (System.nanoTime() - start) / 1_000_000;
        published.join();
        System.out.printf("round %d: %d of %d subscribers had it after %d ms%n", round + 1, received, n, millis[round]);
      }
      for (SocketChannel socket : sockets) {
        socket.close();
      }
    }
    long[] sorted = millis.clone();
    Arrays.sort(sorted);
    System.out.printf("topic publish to %d subscribers, %d rounds: median %d ms (min %d, max %d)%n",
        n, rounds, sorted[rounds / 2], sorted[0], sorted[rounds - 1]);
  }

  /** Reads until every socket has one whole answer holding {@code message}; records new cursors. */
  private static int readAll(Selector selector, int n, String message, String[] cursors, long deadline) throws IOException {
    StringBuilder[] partial = new StringBuilder[n];
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    int done = 0;
    while (done < n && System.nanoTime() < deadline) {
      selector.select(100);
      for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
        SelectionKey key = it.next();
        it.remove();
        int i = (Integer) key.attachment();
        buffer.clear();
        int read = ((SocketChannel) key.channel()).read(buffer);
        if (read < 0) {
          throw new IOException("relay closed a subscriber's connection");
        }
        StringBuilder text = partial[i] == null ? (partial[i] = new StringBuilder()) : partial[i];
        text.append(new String(buffer.array(), 0, read, StandardCharsets.UTF_8));
        int split = text.indexOf("\r\n\r\n");
        Matcher length = LENGTH.matcher(text);
        if (split > 0 && length.find() && text.length() >= split + 4 + Integer.parseInt(length.group(1))) {
          String body = text.substring(split + 4);
          if (!body.contains(message)) {
            throw new IllegalStateException("an answer without the message: " + body);
          }
          Matcher cursor = CURSOR.matcher(body);
          cursor.find();
          cursors[i] = cursor.group(1);
          partial[i] = null;
          done++;
        }
      }
    }
    return done;
  }

  private TopicFanout() {}
}
