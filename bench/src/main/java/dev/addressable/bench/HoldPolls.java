package dev.addressable.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Parks N long-polls on a relay from this separate process (one new client per poll), then reads
 * the relay's own thread count and resident memory from its /metrics while they are held. Bounded:
 * it holds for {@code --hold} seconds, then closes every socket.
 *
 * <pre>java -cp bench/target/bench.jar dev.addressable.bench.HoldPolls [--url http://127.0.0.1:8080] [--polls 10000] [--hold 5]</pre>
 *
 * Each socket is one open file here; this machine caps a process at 20,000 (ulimit -Hn).
 */
public final class HoldPolls {

  public static void main(String[] args) throws Exception {
    Relay relay = new Relay(Args.get(args, "--url", "http://127.0.0.1:8080"));
    int polls = Integer.parseInt(Args.get(args, "--polls", "10000"));
    int holdSeconds = Integer.parseInt(Args.get(args, "--hold", "5"));
    String host = relay.base.getHost() + ":" + relay.base.getPort();

    long threadsIdle = relay.metric("addressable_jvm_threads");
    long rssIdle = relay.metric("addressable_process_resident_bytes");
    System.out.printf("relay before: %d threads, %.1f MiB resident%n", threadsIdle, rssIdle / 1048576.0);

    List<Relay.Tab> tabs = new ArrayList<>(polls);
    for (int start = 0; start < polls; start += 200) {
      List<CompletableFuture<Relay.Tab>> batch = new ArrayList<>();
      for (int i = start; i < Math.min(polls, start + 200); i++) {
        batch.add(relay.connect("{}"));
      }
      batch.forEach(f -> tabs.add(f.join()));
      if ((start / 200) % 10 == 9) {
        System.out.printf("connected %d of %d%n", tabs.size(), polls);
      }
    }

    List<Socket> sockets = new ArrayList<>(polls);
    try {
      for (Relay.Tab tab : tabs) {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(relay.base.getHost(), relay.base.getPort()), 5_000);
        socket.getOutputStream().write(Relay.pollRequest(tab, tab.cursor(), 60, host).getBytes(StandardCharsets.US_ASCII));
        sockets.add(socket);
        if (sockets.size() % 2000 == 0) {
          System.out.printf("polls sent %d of %d%n", sockets.size(), polls);
        }
      }
      long deadline = System.nanoTime() + 60_000_000_000L;
      long parked;
      while ((parked = relay.metric("addressable_parked_requests")) < polls) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("only " + parked + " of " + polls + " polls parked");
        }
        Thread.sleep(100);
      }
      Thread.sleep(holdSeconds * 1000L);
      long threads = relay.metric("addressable_jvm_threads");
      long rss = relay.metric("addressable_process_resident_bytes");
      System.out.printf("relay holding %d parked polls: %d threads (%d idle), %.1f MiB resident (%.1f idle), %.1f KB per poll%n",
          parked, threads, threadsIdle, rss / 1048576.0, rssIdle / 1048576.0, (rss - rssIdle) / 1024.0 / polls);
    } finally {
      for (Socket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing; nothing to do
        }
      }
    }
  }

  private HoldPolls() {}
}
