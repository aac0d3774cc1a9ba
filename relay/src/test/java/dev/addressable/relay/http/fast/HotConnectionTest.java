package dev.addressable.relay.http.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.testing.RawHttp.Raw;
import dev.addressable.relay.testing.RelayClient.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The relay's own HTTP/1.1 connection over raw sockets: what it serves itself, in order, and when. */
@Timeout(30)
class HotConnectionTest extends HotSocketTests {

  @Test
  void servesManyRequestsOnOneKeptAliveSocketInOrder() throws Exception {
    Connection c = relay.http().connect();
    Counters before = counters();
    try (Socket socket = open()) {
      for (int i = 1; i <= 5; i++) {
        write(socket, send(c, "m" + i));
        assertSent(read(socket), i, 0);
      }
      write(socket, poll(c, c.cursor(), 0));
      Raw polled = read(socket);
      assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), data(polled));
      write(socket, send(c, "m6"));
      assertSent(read(socket), 6, 0);
      write(socket, poll(c, json(polled).get("cursor").asText(), 0));
      assertEquals(List.of("m6"), data(read(socket)));
    }
    assertEquals(new Counters(8, 0), counters().since(before));
  }

  @Test
  void answersTwoPipelinedRequestsInOrder() throws Exception {
    Connection c = relay.http().connect();
    Counters before = counters();
    try (Socket socket = open()) {
      write(socket, send(c, "pipelined") + poll(c, c.cursor(), 5));
      assertSent(read(socket), 1, 0);
      assertEquals(List.of("pipelined"), data(read(socket)));
    }
    assertEquals(new Counters(2, 0), counters().since(before));
  }

  @Test
  void servesAHeadSplitOverTwoWrites() throws Exception {
    Connection c = relay.http().connect();
    Counters before = counters();
    try (Socket socket = open()) {
      String request = send(c, "split");
      int half = request.indexOf("Host:") + 3;
      write(socket, request.substring(0, half));
      Thread.sleep(100); // not a synchronizer: the pause makes the server read the first part alone
      write(socket, request.substring(half));
      assertSent(read(socket), 1, 0);
      assertWaiting(socket, c, "split");
    }
    assertEquals(new Counters(2, 0), counters().since(before));
  }

  @Test
  void servesAWholeHeadAndThenOneWhoseRestArrivesLater() throws Exception {
    Connection c = relay.http().connect();
    Counters before = counters();
    try (Socket socket = open()) {
      String second = send(c, "second");
      int half = second.indexOf('?') + 4;
      write(socket, send(c, "first") + second.substring(0, half));
      assertSent(read(socket), 1, 0);
      Thread.sleep(100); // not a synchronizer: the pause makes the server keep the partial head alone
      write(socket, second.substring(half));
      assertSent(read(socket), 2, 0);
    }
    assertEquals(new Counters(2, 0), counters().since(before));
  }

  @Test
  void answersManyPipelinedRequestsInOrder() throws Exception {
    Connection c = relay.http().connect();
    int count = 500;
    StringBuilder requests = new StringBuilder();
    for (int i = 1; i <= count; i++) {
      requests.append(send(c, "p" + i));
    }
    assertTrue(requests.length() > 4 * READ_BUFFER, "requests of " + requests.length() + " bytes");
    Counters before = counters();
    try (Socket socket = open()) {
      // Written by another thread while this one reads, so neither side's buffers need to hold it all.
      CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
        try {
          write(socket, requests.toString());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      for (int i = 1; i <= count; i++) {
        assertSent(read(socket), i, 0);
      }
      written.get(5, TimeUnit.SECONDS);
    }
    assertEquals(new Counters(count, 0), counters().since(before));
  }

  @Test
  void answersTheSocketCannotTakeAtOnceArriveWholeAndInOrder() throws Exception {
    Connection c = relay.http().connect();
    String big = "b".repeat(7000); // each answer nearly fills a thread's answer buffer
    try (Socket socket = open()) {
      write(socket, send(c, big));
      assertSent(read(socket), 1, 0);
    }
    int count = 1000; // 7 MB of answers: more than both sockets' buffers hold
    StringBuilder polls = new StringBuilder();
    for (int i = 0; i < count; i++) {
      polls.append(poll(c, c.cursor(), 0));
    }
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", relay.port()));
      socket.setSoTimeout(10_000);
      CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
        try {
          write(socket, polls.toString());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      Thread.sleep(300); // the relay's writes find the socket full meanwhile
      for (int i = 0; i < count; i++) {
        assertEquals(List.of(big), data(read(socket)), "answer " + i);
      }
      written.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void answersAPollWokenFromAnotherSocketAndGoesOnServing() throws Exception {
    Connection c = relay.http().connect();
    Counters before = counters();
    try (Socket polling = open(); Socket sending = open()) {
      write(polling, poll(c, c.cursor(), 20));
      awaitParkedPolls(c, 1);
      write(sending, send(c, "wake up"));
      assertSent(read(sending), 1, 1);
      Raw polled = read(polling);
      assertEquals(List.of("wake up"), data(polled));
      write(polling, send(c, "again") + poll(c, json(polled).get("cursor").asText(), 5));
      assertSent(read(polling), 2, 0);
      assertEquals(List.of("again"), data(read(polling)));
    }
    assertEquals(new Counters(4, 0), counters().since(before));
  }

  @Test
  void answersAParkedPollBeforeTheRequestPipelinedBehindIt() throws Exception {
    Connection c = relay.http().connect();
    Counters before = counters();
    try (Socket socket = open()) {
      long start = System.nanoTime();
      write(socket, poll(c, c.cursor(), 1) + send(c, "behind"));
      Raw polled = read(socket);
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(List.of(), data(polled), "the send behind the poll must not be served first");
      assertTrue(waitedMillis >= 900, "the poll was answered after " + waitedMillis + " ms, not at its timeout");
      assertSent(read(socket), 1, 0);
      write(socket, poll(c, json(polled).get("cursor").asText(), 0));
      assertEquals(List.of("behind"), data(read(socket)));
    }
    assertEquals(new Counters(3, 0), counters().since(before));
  }

  @Test
  void readsNothingMoreWhileAPollIsParked() throws Exception {
    Connection c = relay.http().connect();
    Counters before = counters();
    try (Socket socket = open()) {
      long start = System.nanoTime();
      write(socket, poll(c, c.cursor(), 1));
      awaitParkedPolls(c, 1);
      write(socket, send(c, "while parked"));
      Raw polled = read(socket);
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(List.of(), data(polled));
      assertTrue(waitedMillis >= 900, "the poll was answered after " + waitedMillis + " ms, not at its timeout");
      assertSent(read(socket), 1, 0);
    }
    assertEquals(new Counters(2, 0), counters().since(before));
  }

  @Test
  void aSendThatWakesAPollWithARequestBehindItGoesOnServingItsOwnSocket() throws Exception {
    Connection c = relay.http().connect();
    Connection other = relay.http().connect();
    Counters before = counters();
    try (Socket polling = open(); Socket sending = open()) {
      // The woken poll's connection serves the send pipelined behind it; the sender's connection,
      // whose thread does the waking, must still serve the request pipelined behind its own.
      write(polling, poll(c, c.cursor(), 20) + send(other, "behind the poll"));
      awaitParkedPolls(c, 1);
      write(sending, send(c, "wake up") + send(other, "behind the send"));
      assertSent(read(sending), 1, 1);
      assertEquals(202, read(sending).status());
      assertEquals(List.of("wake up"), data(read(polling)));
      assertEquals(202, read(polling).status());
      // Two sockets: the two sends behind may land in either order.
      write(sending, poll(other, other.cursor(), 0));
      assertEquals(List.of("behind the poll", "behind the send"), data(read(sending)).stream().sorted().toList());
    }
    assertEquals(new Counters(5, 0), counters().since(before));
  }

  @Test
  void servesPollAfterPollWokenFromAnotherSocket() throws Exception {
    Connection c = relay.http().connect();
    int rounds = 200;
    Counters before = counters();
    try (Socket polling = open(); Socket sending = open()) {
      String cursor = c.cursor();
      for (int i = 1; i <= rounds; i++) {
        write(polling, poll(c, cursor, 20));
        if (i % 2 == 0) {
          awaitParkedPolls(c, 1); // half parked first, half racing the send
        }
        write(sending, send(c, "m" + i));
        assertEquals(202, read(sending).status());
        Raw polled = read(polling);
        assertEquals(List.of("m" + i), data(polled), "round " + i);
        cursor = json(polled).get("cursor").asText();
      }
    }
    assertEquals(new Counters(2 * rounds, 0), counters().since(before));
  }
}
