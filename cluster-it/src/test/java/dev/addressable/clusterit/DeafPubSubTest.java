package dev.addressable.clusterit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.clusterit.RedisFaultProxy.Direction;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.Receiver;
import dev.addressable.relay.testing.RedisServerExtension;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deaf pub/sub (CLUSTER.md section 10): relay b's pub/sub connection stays open while Redis's
 * messages to it are held by the proxy, so every wake-up hint to b is lost and b's health looks
 * green. Sends through relay a must still reach b's receivers of every transport, all of them, in
 * order, without {@code missed}; b's probe must notice and rebuild the connection. Then the
 * pub/sub connections are killed over and over ({@code CLIENT KILL TYPE pubsub}), with the same
 * promise. No upper bound on time is asserted: the machines are shared.
 */
@Timeout(300)
class DeafPubSubTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  /** Lost hints cost up to about 10 s each; waits are far longer, never a bound asserted. */
  private static final Duration LATE = Duration.ofSeconds(60);

  @Test
  void aDeafSubscriberIsNoticedRebuiltAndLosesNothing() throws Exception {
    redis.command("FLUSHALL");
    Path shared = Files.createTempDirectory("addressable-deaf-pubsub");
    try (RedisFaultProxy link = RedisFaultProxy.start(redis.port());
        RelayProcess a = RelayProcess.named("a").args("--redis", redis.uri(), "--node-id", "a",
            "--data-dir", shared.toString()).start();
        RelayProcess b = RelayProcess.named("b").args("--redis", link.uri(), "--node-id", "b",
            "--data-dir", shared.toString()).start()) {
      RelayClient toA = a.client();
      Connection c = toA.connect();
      Map<Receiver.Kind, Receiver> atB = new EnumMap<>(Receiver.Kind.class);
      Map<Receiver.Kind, List<String>> got = new EnumMap<>(Receiver.Kind.class);
      try {
        for (Receiver.Kind kind : Receiver.Kind.values()) {
          atB.put(kind, kind.open(b.base(), c, c.cursor()).awaitReady());
          got.put(kind, new ArrayList<>());
        }
        List<String> sent = new ArrayList<>();
        send(toA, c, "while b hears", sent);
        collect(atB, got, sent);

        ProxiedConnection deaf = subscriber(link);
        assertTrue(deaf != null, "b's pub/sub connection goes through the proxy: " + link.openConnections());
        deaf.mute(Direction.SERVER_TO_CLIENT);
        for (int i = 1; i <= 5; i++) {
          send(toA, c, "while b is deaf " + i, sent);
        }
        collect(atB, got, sent);
        Await.until("b's probe found its pub/sub deaf", LATE, () -> probeFailures(b) >= 1);
        Await.until("b opened another pub/sub connection", LATE, () -> {
          ProxiedConnection now = subscriber(link);
          return now != null && now.index() > deaf.index();
        });
        assertEquals(200, b.health(Duration.ofSeconds(10)), "b never stopped serving");

        for (int round = 1; round <= 5; round++) {
          redis.command("CLIENT", "KILL", "TYPE", "pubsub");
          send(toA, c, "after kill " + round, sent);
          collect(atB, got, sent);
        }
        send(toA, c, "at last", sent);
        collect(atB, got, sent);
        for (Receiver.Kind kind : Receiver.Kind.values()) {
          assertEquals(sent, got.get(kind), kind + ": every message once, in order");
        }
      } finally {
        atB.values().forEach(Receiver::close);
      }
    } finally {
      TempDirs.delete(shared);
    }
  }

  private static void send(RelayClient toA, Connection c, String text, List<String> sent) {
    RelayClient.Answer answer = toA.sendGet(c.url(), text);
    assertEquals(202, answer.status(), answer.body());
    sent.add(text);
  }

  /** Waits until each receiver got everything sent so far; a {@code missed} marker fails. */
  private static void collect(Map<Receiver.Kind, Receiver> receivers, Map<Receiver.Kind, List<String>> got,
      List<String> sent) throws InterruptedException {
    for (Map.Entry<Receiver.Kind, Receiver> r : receivers.entrySet()) {
      List<String> its = got.get(r.getKey());
      long deadline = System.nanoTime() + LATE.toNanos();
      while (its.size() < sent.size()) {
        Receiver.Event event;
        try {
          event = r.getValue().next();
        } catch (AssertionError quiet) {
          if (String.valueOf(quiet.getMessage()).startsWith("nothing arrived") && System.nanoTime() < deadline) {
            continue;
          }
          throw new AssertionError(r.getKey() + " at b got " + its + " of " + sent, quiet);
        }
        assertFalse(event.missed(), r.getKey() + " was told missed: " + event);
        its.add(event.data());
      }
    }
  }

  /** b's pub/sub connection through the proxy: the newest open one that named itself {@code relay-b-…-sub}. */
  private static ProxiedConnection subscriber(RedisFaultProxy link) {
    List<ProxiedConnection> subs = link.openConnections().stream()
        .filter(p -> p.opening().contains("-sub\r\n")).toList();
    return subs.isEmpty() ? null : subs.get(subs.size() - 1);
  }

  private static long probeFailures(RelayProcess relay) {
    return FaultRun.metric(relay.base(), "addressable_redis_probe_failures_total");
  }
}
