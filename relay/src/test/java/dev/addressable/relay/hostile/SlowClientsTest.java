package dev.addressable.relay.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.config.LimitsConfig;
import dev.addressable.relay.config.ServerConfig;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayExtension;
import dev.addressable.relay.testing.Sockets;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow clients hold no thread: bodies that trickle in, heads that never end and stream readers
 * that never read leave every other request answered at once, and each is cut off by its
 * deadline. The relay runs with a pool of 16 threads here, so that 40 slow clients would take all
 * of it if any of them held one (as 62 of them took the default 64 before).
 */
@Timeout(60)
class SlowClientsTest {

  private static final int THREADS = 16;
  private static final Duration PROMPTLY = Duration.ofSeconds(2);

  @RegisterExtension
  static final RelayExtension relay = new RelayExtension(c -> {
    ServerConfig s = c.server();
    return c.withServer(new ServerConfig(s.port(), s.host(), s.dataDir(), s.publicUrl(), s.maxUrlLength(), THREADS,
            s.selectors(), s.reusePort()))
        .withLimits(new LimitsConfig(0, Duration.ofSeconds(1), Duration.ofSeconds(2), 0))
        .withPoll(c.poll().withMaxPerClient(0)); // one client's 40 streams that never read
  });

  /** A burst of ordinary work that must all be answered promptly while slow clients hang on. */
  private static void everythingElseIsAnswered() throws Exception {
    RelayClient http = relay.client();
    long started = System.nanoTime();
    assertEquals(200, http.get("/health").status());
    Connection c = http.connect();
    CompletableFuture<RelayClient.Answer> poll = http.pollAsync(c, c.cursor(), 10);
    Await.until("the poll parked", PROMPTLY, () -> relay.relay().receivers().waiterCount(new ChannelId(c.client(), c.channel())) > 0);
    assertEquals(202, http.post(c.url(), "text/plain", "through the crowd").status());
    RelayClient.Answer answer = poll.get(2, TimeUnit.SECONDS);
    assertEquals("through the crowd", answer.json().get("messages").get(0).get("data").asText());
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(millis < 2_000, "ordinary requests took " + millis + " ms");
  }

  @Test
  void bodiesThatTrickleInHoldNoThreadAndAreCutOffAtTheirDeadline() throws Exception {
    Connection c = relay.http().connect();
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        Socket socket = Sockets.open(relay.port(), 2 + i % 4);
        Sockets.write(socket, "POST /m/" + c.client() + "/" + c.channel() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 60000\r\n\r\nx");
        slow.add(socket);
      }
      everythingElseIsAnswered();
      for (Socket socket : slow) {
        trickle(socket, "y"); // a byte now and then does not extend the deadline
      }
      for (Socket socket : slow) {
        assertEquals(408, Sockets.status(socket), "the whole body must come within --body-timeout");
      }
    } finally {
      close(slow);
    }
  }

  @Test
  void headsThatNeverEndHoldNoThreadAndAreCutOffAtTheirDeadline() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        Socket socket = Sockets.open(relay.port(), 2 + i % 4);
        Sockets.write(socket, (i % 2 == 0 ? "GET /poll" : "POST /connect") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        slow.add(socket);
      }
      everythingElseIsAnswered();
      for (Socket socket : slow) {
        trickle(socket, "X-Still: typing\r\n"); // a line now and then does not extend the deadline
      }
      for (Socket socket : slow) {
        assertEquals(408, Sockets.status(socket), "the whole head must come within --header-timeout");
      }
    } finally {
      close(slow);
    }
  }

  @Test
  void streamReadersThatNeverReadHoldNoThreadAndNoMoreThanABatch() throws Exception {
    Connection first = relay.http().connect();
    List<Socket> readers = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        Connection tab = relay.http().connect(first, "tab" + i);
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096); // and never read: the kernel buffers fill
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", relay.port()));
        Sockets.write(socket, "GET /events?client=" + tab.client() + "&channel=" + tab.channel() + "&key=" + tab.key()
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n");
        readers.add(socket);
      }
      Await.until("40 streams open", PROMPTLY, () -> java.util.stream.IntStream.range(0, 40)
          .filter(i -> relay.hasReceiver(first.client(), "tab" + i)).count() >= 40);
      String kib = "k".repeat(1024);
      for (int i = 0; i < 1_000; i++) {
        assertEquals(202, relay.http().post(first.clientUrl(), "text/plain", kib).status());
      }
      everythingElseIsAnswered();
      // 1,000 bodies of 1 KiB stored once, an entry per inbox, and at most one batch (512 KiB of
      // messages, as SSE text) in flight per stuck reader: nothing grows with what is sent.
      long held = relay.relay().budget().used() + relay.relay().budget().inFlight();
      long bound = 1_000L * 1_200 + 41L * 1_000 * 32 + 40L * 640 * 1024;
      assertTrue(held < bound, "the relay holds " + held + " bytes for 40 stuck readers; at most " + bound);
    } finally {
      close(readers);
    }
  }

  /** Writes a little more, unless the relay has closed the connection already (its deadline passed). */
  private static void trickle(Socket socket, String more) {
    try {
      Sockets.write(socket, more);
    } catch (IOException closedAlready) {
      // the answer is waiting to be read
    }
  }

  private static void close(List<Socket> sockets) {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
