package dev.addressable.relay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RawHttp;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.TestRelay;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of long-polls parked at once hold no thread each. The test's sockets and the relay's
 * share this process, and these machines cap a process at 20,000 open files: 5,000 polls spend
 * about 10,000. The assertion is on threads, never on time.
 */
@Timeout(180)
class ParkedPollsTest {

  private static final int POLLS = 5_000;

  @Test
  void fiveThousandParkedPollsHoldFewThreadsAndAllWakeOnOneSend() throws Exception {
    try (TestRelay relay = TestRelay.start(c -> {
      InboxConfig i = c.inbox();
      return c.withInbox(new InboxConfig(i.maxMessages(), i.maxBytes(), i.maxAge(), i.idleExpiry(),
          i.maxMessageBytes(), i.maxChannels(), POLLS)).withPoll(c.poll().withMaxPerClient(0)); // one client's 5,000
    })) {
      RelayClient http = relay.client();
      Connection first = http.connect();
      List<Connection> tabs = connectTabs(http, first);
      int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

      List<Socket> sockets = new ArrayList<>(POLLS);
      try {
        for (Connection tab : tabs) {
          Socket socket = new Socket();
          socket.connect(new InetSocketAddress("127.0.0.1", relay.port()), 5_000);
          socket.setSoTimeout(30_000);
          socket.getOutputStream().write(("GET /poll?client=" + tab.client() + "&channel=" + tab.channel()
              + "&cursor=" + tab.cursor() + "&timeout=60 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
              + tab.key() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          sockets.add(socket);
        }
        awaitParked(http, POLLS);

        int threadsParked = ManagementFactory.getThreadMXBean().getThreadCount();
        long relayThreads = Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("addressable-")).count();
        assertTrue(relayThreads <= 70, "relay threads with " + POLLS + " parked: " + relayThreads);
        assertTrue(threadsParked - threadsBefore < 70,
            "threads grew from " + threadsBefore + " to " + threadsParked + " while parking " + POLLS + " polls");

        RelayClient.Answer sent = http.sendGet(first.clientUrl(), "to every tab");
        assertEquals(POLLS, sent.json().get("delivered").asInt(), sent.body().substring(0, 100));
        for (Socket socket : sockets) {
          RawHttp.Raw answer = RawHttp.readOne(new java.io.BufferedInputStream(socket.getInputStream()));
          assertEquals(200, answer.status());
          assertTrue(answer.body().contains("\"data\":\"to every tab\""), answer.body());
        }
        assertEquals(0, tabs.stream()
            .mapToInt(tab -> relay.relay().receivers().waiterCount(new ChannelId(tab.client(), tab.channel()))).sum());
      } finally {
        for (Socket socket : sockets) {
          closeQuietly(socket);
        }
      }
    }
  }

  private static List<Connection> connectTabs(RelayClient http, Connection first) {
    List<Connection> tabs = new ArrayList<>(POLLS);
    tabs.add(first);
    for (int batch = 1; batch < POLLS; batch += 100) {
      List<CompletableFuture<Connection>> pending = new ArrayList<>();
      for (int i = batch; i < Math.min(POLLS, batch + 100); i++) {
        String channel = "tab" + i;
        pending.add(http.connectAsync(first, channel));
      }
      pending.forEach(p -> tabs.add(p.join()));
    }
    return tabs;
  }

  private static void awaitParked(RelayClient http, int count) {
    Await.value(count + " polls parked (parked)", Duration.ofSeconds(60), () -> http.get("/health").json().get("parked").asInt(),
        n -> n >= count);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a test socket; nothing to do
    }
  }
}
