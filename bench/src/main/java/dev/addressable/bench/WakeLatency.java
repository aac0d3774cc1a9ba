package dev.addressable.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Send-to-wake latency over loopback: one poll parked on a channel, one {@code GET ?message=} on a
 * second kept-alive connection; the time from writing the send until the parked poll's answer has
 * arrived whole. Repeats and prints the median and tail.
 *
 * <pre>java -cp bench/target/bench.jar dev.addressable.bench.WakeLatency [--url http://127.0.0.1:8080] [--rounds 100]</pre>
 */
public final class WakeLatency {

  private static final Pattern CURSOR = Pattern.compile("\"cursor\":\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    String url = Args.get(args, "--url", "http://127.0.0.1:8080");
    int rounds = Integer.parseInt(Args.get(args, "--rounds", "100"));
    int warmup = Integer.parseInt(Args.get(args, "--warmup", "200"));
    Relay relay = new Relay(url);
    Relay.Tab tab = relay.connect("{}").join();
    String host = relay.base.getHost() + ":" + relay.base.getPort();
    String sendPath = java.net.URI.create(tab.url()).getRawPath();

    try (Socket poller = new Socket(relay.base.getHost(), relay.base.getPort());
         Socket sender = new Socket(relay.base.getHost(), relay.base.getPort())) {
      poller.setTcpNoDelay(true);
      sender.setTcpNoDelay(true);
      InputStream pollIn = new BufferedInputStream(poller.getInputStream());
      InputStream sendIn = new BufferedInputStream(sender.getInputStream());
      OutputStream pollOut = poller.getOutputStream();
      OutputStream sendOut = sender.getOutputStream();
      String cursor = tab.cursor();
      long[] nanos = new long[rounds];
      System.out.printf("warming up with %d rounds, then measuring %d%n", warmup, rounds);
      for (int i = 0; i < warmup + rounds; i++) {
        pollOut.write(Relay.pollRequest(tab, cursor, 30, host).getBytes(StandardCharsets.US_ASCII));
        pollOut.flush();
        awaitParked(relay, tab);
        byte[] send = ("GET " + sendPath + "?message=round-" + i + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        sendOut.write(send);
        sendOut.flush();
        String answer = Http.readOne(pollIn);
        long took = System.nanoTime() - start;
        Http.readOne(sendIn);
        if (!answer.contains("round-" + i)) {
          throw new IllegalStateException("poll answered without the message: " + answer);
        }
        Matcher m = CURSOR.matcher(answer);
        if (!m.find()) {
          throw new IllegalStateException("no cursor in " + answer);
        }
        cursor = m.group(1);
        if (i >= warmup) {
          nanos[i - warmup] = took;
        }
      }
      Arrays.sort(nanos);
      System.out.printf("send-to-wake over loopback, %d rounds: median %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%n",
          rounds, ms(nanos[rounds / 2]), ms(nanos[(int) (rounds * 0.9)]), ms(nanos[Math.min(rounds - 1, (int) (rounds * 0.99))]),
          ms(nanos[rounds - 1]));
    }
  }

  /** Waits until the relay holds the poll, so the send measures a wake, not a race. */
  private static void awaitParked(Relay relay, Relay.Tab tab) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (relay.metric("addressable_parked_requests") < 1) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the poll never parked");
      }
      Thread.onSpinWait();
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private WakeLatency() {}
}
