package dev.addressable.clusterit;

import static dev.addressable.clusterit.RedisFaultProxy.Direction.CLIENT_TO_SERVER;
import static dev.addressable.clusterit.RedisFaultProxy.Direction.SERVER_TO_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RedisServerExtension;
import dev.addressable.relay.testing.RespClient;
import dev.addressable.relay.testing.Sockets;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each fault of the proxy does what its name says to real Redis traffic, and heal undoes it. Only
 * lower bounds on time: the machine is shared and noisy.
 */
@Timeout(60)
class RedisFaultProxyTest {

  private static final Duration SOON = Duration.ofSeconds(10);
  /** Long enough that a held answer surely would have come, short enough to keep the suite quick. */
  private static final Duration SILENCE = Duration.ofMillis(300);

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private RedisFaultProxy proxy;

  @BeforeEach
  void startProxy() {
    redis.command("FLUSHALL");
    proxy = RedisFaultProxy.start(redis.port());
  }

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  @Test
  void passesTrafficThroughAndNumbersConnections() {
    try (RespClient a = through(SOON); RespClient b = through(SOON)) {
      assertEquals("PONG", a.command("PING"));
      assertEquals("OK", b.command("SET", "k", "v"));
      assertEquals("v", redis.command("GET", "k"));
      assertEquals(2, proxy.connections().size());
      ProxiedConnection first = proxy.connection(0);
      assertEquals(a.socket().getLocalPort(), first.clientPort());
      assertTrue(redis.command("CLIENT", "LIST").contains("addr=127.0.0.1:" + first.upstreamPort() + " "),
          "Redis sees the proxy's upstream port");
    }
  }

  @Test
  void delayHoldsEachChunkEitherWay() {
    try (RespClient client = through(SOON)) {
      assertEquals("PONG", client.command("PING"));
      proxy.delay(Duration.ofMillis(150));
      long start = System.nanoTime();
      assertEquals("PONG", client.command("PING"));
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(tookMillis >= 300, "a round trip through a 150 ms delay each way took only " + tookMillis + " ms");
      proxy.heal();
      assertEquals("PONG", client.command("PING"));
    }
  }

  @Test
  void cutResetsOpenConnectionsAndNewOnesUntilHealed() {
    try (RespClient client = through(SOON)) {
      assertEquals("PONG", client.command("PING"));
      proxy.cut();
      assertFalse(proxy.connection(0).isOpen());
      UncheckedIOException reset = assertThrows(UncheckedIOException.class, () -> client.command("PING"));
      assertInstanceOf(SocketException.class, reset.getCause(), "a reset (not an EOF, not silence)");
    }
    // Accepted by the kernel, then reset by the proxy: the connect itself or the first command fails.
    assertThrows(UncheckedIOException.class, () -> {
      try (RespClient refused = through(SOON)) {
        refused.command("PING");
      }
    });
    proxy.heal();
    try (RespClient client = through(SOON)) {
      assertEquals("PONG", client.command("PING"));
    }
  }

  @Test
  void blackholeKeepsConnectionsOpenAndSilentUntilHealed() {
    try (RespClient open = through(SOON)) {
      assertEquals("PONG", open.command("PING"));
      proxy.blackhole();
      open.send("SET", "k", "v");
      try (RespClient fresh = through(SOON)) { // accepted, connected on, and silent
        fresh.send("PING");
        Await.until("the new connection accepted and connected on to Redis", SOON,
            () -> proxy.connections().size() == 2 && proxy.connection(1).upstreamPort() > 0);
        ProxiedConnection first = proxy.connection(0);
        Await.until("the proxy read the SET", SOON, () -> first.received(CLIENT_TO_SERVER) > first.forwarded(CLIENT_TO_SERVER));
        assertNull(redis.command("GET", "k"), "the SET is held, not delivered");
        timesOut(open);
        timesOut(fresh);
        assertTrue(first.isOpen() && proxy.connection(1).isOpen(), "connections kept open");
        assertFalse(open.socket().isClosed());

        proxy.heal();
        assertEquals("OK", open.read(), "the held SET arrives after heal");
        assertEquals("PONG", fresh.read());
        assertEquals("v", redis.command("GET", "k"));
      }
    }
  }

  @Test
  void muteServerToClientMakesADeafSubscriberWhileItsCommandsStillArrive() {
    try (RespClient deaf = through(SOON); RespClient hearing = through(SOON)) {
      deaf.command("CLIENT", "SETNAME", "deaf");
      assertEquals("subscribe\nhints\n1", deaf.command("SUBSCRIBE", "hints"));
      assertEquals("subscribe\nhints\n1", hearing.command("SUBSCRIBE", "hints"));
      String line = redis.command("CLIENT", "LIST").lines().filter(l -> l.contains(" name=deaf ")).findFirst().orElseThrow();
      int upstream = Integer.parseInt(line.replaceAll(".* addr=127\\.0\\.0\\.1:(\\d+) .*", "$1"));
      assertEquals(1, proxy.mute(SERVER_TO_CLIENT, c -> c.upstreamPort() == upstream));
      ProxiedConnection muted = proxy.openConnections().stream().filter(c -> c.upstreamPort() == upstream).findFirst().orElseThrow();
      assertTrue(muted.opening().contains("deaf"), "what the client sent first: " + muted.opening());

      assertEquals("2", redis.command("PUBLISH", "hints", "m1"));
      assertEquals("message\nhints\nm1", hearing.read());
      timesOut(deaf);
      long sent = muted.forwarded(CLIENT_TO_SERVER);
      deaf.send("PING", "still-talking");
      Await.until("the deaf connection's PING reached Redis", SOON, () -> muted.forwarded(CLIENT_TO_SERVER) > sent);

      proxy.heal();
      assertEquals("message\nhints\nm1", deaf.read(), "held messages arrive in order after heal");
      assertEquals("pong\nstill-talking", deaf.read());
    }
  }

  @Test
  void muteClientToServerHoldsCommandsWhileMessagesStillFlowBack() {
    try (RespClient client = through(SOON)) {
      assertEquals("subscribe\nhints\n1", client.command("SUBSCRIBE", "hints"));
      ProxiedConnection c = proxy.connection(0);
      proxy.mute(CLIENT_TO_SERVER, 0);
      client.send("PING", "held");
      Await.until("the proxy read the PING", SOON, () -> c.received(CLIENT_TO_SERVER) > c.forwarded(CLIENT_TO_SERVER));
      assertEquals("subscribe", lastCommandThrough(c), "Redis saw no PING yet");

      assertEquals("1", redis.command("PUBLISH", "hints", "m1"));
      assertEquals("message\nhints\nm1", client.read(), "Redis to client still flows");
      timesOut(client);

      proxy.heal();
      assertEquals("pong\nheld", client.read());
      assertEquals("ping", lastCommandThrough(c));
    }
  }

  @Test
  void closeStopsListening() {
    int port = proxy.port();
    try (RespClient client = through(SOON)) {
      assertEquals("PONG", client.command("PING"));
      proxy.close();
      assertThrows(UncheckedIOException.class, () -> client.command("PING"));
    }
    Await.until("port " + port + " refusing connections", SOON, () -> Sockets.refuses(port));
  }

  /** The {@code cmd=} of {@code CLIENT LIST} for the Redis end of {@code c}. */
  private static String lastCommandThrough(ProxiedConnection c) {
    String line = redis.command("CLIENT", "LIST").lines()
        .filter(l -> l.contains(" addr=127.0.0.1:" + c.upstreamPort() + " ")).findFirst().orElseThrow();
    return line.replaceAll(".* cmd=(\\S+).*", "$1");
  }

  private RespClient through(Duration timeout) {
    return RespClient.open(proxy.port(), timeout);
  }

  /** Asserts that {@code client} reads nothing for a while, and leaves it waiting long again. */
  private static void timesOut(RespClient client) {
    client.timeout(SILENCE);
    UncheckedIOException silent = assertThrows(UncheckedIOException.class, client::read);
    assertInstanceOf(SocketTimeoutException.class, silent.getCause(), "silence, not a closed connection");
    client.timeout(SOON);
  }
}
