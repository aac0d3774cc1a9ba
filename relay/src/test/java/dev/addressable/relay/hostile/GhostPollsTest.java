package dev.addressable.relay.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayExtension;
import dev.addressable.relay.testing.Sockets;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A waiting request whose client went away (closed or reset its socket) leaves the relay at once,
 * on every path: the channel's poll count drops, the socket is closed (nothing in CLOSE_WAIT), and
 * the tab goes offline after the grace period. Before, such "ghost polls" stayed until their
 * timeout: 16 of them made the owner's own polls 429 for half a minute, and a few thousand
 * poll-and-close requests used up the relay's file descriptors.
 */
@Timeout(60)
class GhostPollsTest {

  private static final Duration SOON = Duration.ofSeconds(3);
  /** Passed by moving the relay's clock on, never by waiting. */
  private static final Duration GRACE = Duration.ofSeconds(10);

  /** Without a per-client cap: 16 ghosts of one client's channel, as a page reloaded in a loop leaves them. */
  @RegisterExtension
  static final RelayExtension relay = new RelayExtension(c -> c.withPresence(c.presence().withGrace(GRACE))
      .withPoll(c.poll().withMaxPerClient(0)));

  /** How a waiting request reaches the relay. */
  enum Path {
    /** Served by the relay's own connection. */
    HOT_POLL,
    /** A script tag's poll, on the relay's own connection. */
    JSONP_POLL,
    /** A poll whose escaped path only Jetty's parser takes: served on Jetty's connection. */
    JETTY_POLL,
    /** A wait on an event variable (always Jetty's path). */
    EVENT_WAIT,
    /** A send that waits for its receipt. */
    RECEIPT_WAIT;

    String request(Connection c, int i) {
      String auth = "client=" + c.client() + "&channel=" + c.channel() + "&key=" + c.key() + "&cursor=" + c.cursor();
      String target = switch (this) {
        case HOT_POLL -> "/poll?" + auth + "&timeout=30";
        case JSONP_POLL -> "/poll?" + auth + "&timeout=30&callback=cb" + i;
        case JETTY_POLL -> "/po%6Cl?" + auth + "&timeout=30";
        case EVENT_WAIT -> "/ev/ghost-" + c.channel() + "-waits?timeout=30";
        case RECEIPT_WAIT -> "/m/" + c.client() + "/" + c.channel() + "?message=m" + i + "&wait=10";
      };
      return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }
  }

  private static int parked() {
    return relay.http().get("/health").json().get("parked").asInt();
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void aWaitingRequestWhoseClientLeftIsTakenOffAtOnce(Path path) throws Exception {
    Connection c = relay.http().connect();
    int before = parked();
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      Socket socket = Sockets.open(relay.port());
      Sockets.write(socket, path.request(c, i));
      sockets.add(socket);
    }
    Await.until("16 requests parked", SOON, () -> parked() == before + 16);
    for (int i = 0; i < sockets.size(); i++) {
      if (i % 2 == 0) {
        sockets.get(i).close(); // FIN
      } else {
        Sockets.reset(sockets.get(i)); // RST
      }
    }
    Await.until("every ghost taken off", SOON, () -> parked() == before);
    Await.until("no socket left in CLOSE_WAIT", SOON, () -> Sockets.closeWait(relay.port()) == 0);
    RelayClient.Answer next = relay.http().poll(c, c.cursor(), 1);
    assertEquals(200, next.status(), "the owner's own poll is not refused: " + next.body());
  }

  @ParameterizedTest
  @EnumSource(value = Path.class, names = {"HOT_POLL", "JETTY_POLL"})
  void aRequestSentEarlyBehindAWaitingOneIsServedAfterIt(Path path) throws Exception {
    Connection c = relay.http().connect();
    try (Socket socket = Sockets.open(relay.port())) {
      Sockets.write(socket, path.request(c, 0));
      Await.until("the poll parked", SOON, () -> parked() == 1);
      Sockets.write(socket, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); // pipelined: not a hang-up
      // A pause on a real socket, not a synchronizer: it lets the relay read the early request while
      // the poll still waits, which is the case under test; every assertion holds without it too.
      Thread.sleep(200);
      assertEquals(1, parked(), "an early request does not end the waiting one");
      assertEquals(202, relay.http().sendGet(c.url(), "for the waiting poll").status());
      java.io.InputStream in = socket.getInputStream();
      dev.addressable.relay.testing.RawHttp.Raw first = dev.addressable.relay.testing.RawHttp.readOne(in);
      assertEquals(200, first.status());
      assertTrue(first.body().contains("for the waiting poll"), first.body());
      dev.addressable.relay.testing.RawHttp.Raw second = dev.addressable.relay.testing.RawHttp.readOne(in);
      assertEquals(200, second.status(), "the early request is answered after the first: " + second.text());
      assertTrue(second.body().contains("\"status\":\"ok\""), second.body());
    }
  }

  @Test
  void aClosedLongPollTabGoesOfflineAfterTheGrace() throws Exception {
    Connection c = relay.http().connect();
    String status = "/status/m/" + c.client() + "/" + c.channel();
    try (Socket socket = Sockets.open(relay.port())) {
      Sockets.write(socket, Path.HOT_POLL.request(c, 0));
      Await.until("the poll parked", SOON, () -> parked() == 1);
    }
    Await.until("the poll taken off once its client left", SOON, () -> !relay.hasReceiver(c.client(), c.channel()));
    assertTrue(relay.http().get(status).json().get("online").asBoolean(), "online within the grace");
    relay.clock().advance(GRACE.plusSeconds(1));
    assertFalse(relay.http().get(status).json().get("online").asBoolean(), "offline once the grace is over");
  }

  @Test
  void aClosedEventStreamStopsAtOnce() throws Exception {
    Connection c = relay.http().connect();
    String status = "/status/m/" + c.client() + "/" + c.channel();
    Socket socket = Sockets.open(relay.port());
    Sockets.write(socket, "GET /events?client=" + c.client() + "&channel=" + c.channel() + "&key=" + c.key()
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n");
    assertEquals(200, Sockets.status(socket));
    Await.until("the stream counted open", SOON, () -> streamsOpen() == 1);
    Sockets.reset(socket);
    Await.until("the stream closed", SOON, () -> streamsOpen() == 0);
    assertTrue(relay.http().get(status).json().get("online").asBoolean(), "online within the grace");
    relay.clock().advance(GRACE.plusSeconds(1));
    assertFalse(relay.http().get(status).json().get("online").asBoolean(), "offline once the grace is over");
    Await.until("no socket left in CLOSE_WAIT", SOON, () -> Sockets.closeWait(relay.port()) == 0);
  }

  @Test
  void aThousandPollAndCloseRequestsLeaveNothingBehind() throws Exception {
    Connection c = relay.http().connect();
    for (int i = 0; i < 1_100; i++) {
      Socket socket = Sockets.open(relay.port(), 2 + i % 8);
      Sockets.write(socket, Path.HOT_POLL.request(c, i));
      if (i % 2 == 0) {
        socket.close();
      } else {
        Sockets.reset(socket);
      }
    }
    Await.until("every ghost taken off", Duration.ofSeconds(10), () -> parked() == 0);
    Await.until("no socket left in CLOSE_WAIT", SOON, () -> Sockets.closeWait(relay.port()) == 0);
    assertEquals(202, relay.http().sendGet(c.url(), "still here").status());
    assertEquals("still here", relay.http().poll(c, c.cursor(), 0).json().get("messages").get(0).get("data").asText());
  }

  private static long streamsOpen() {
    for (String line : relay.http().get("/metrics").body().split("\n")) {
      if (line.startsWith("addressable_streams_open ")) {
        return Long.parseLong(line.substring(line.indexOf(' ') + 1).trim());
      }
    }
    throw new AssertionError("no addressable_streams_open in /metrics");
  }
}
