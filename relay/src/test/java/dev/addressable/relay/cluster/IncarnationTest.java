package dev.addressable.relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.config.StartupException;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RedisServerExtension;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The incarnation (CLUSTER.md section 4) on a Redis without persistence: what rotates it, what
 * does not, and that it rotates once however many nodes notice.
 */
@Timeout(60)
class IncarnationTest {

  private static final Duration SOON = Duration.ofSeconds(20);

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @BeforeEach
  void emptyRedis() {
    redis.command("FLUSHALL");
  }

  private static String runId() {
    return Incarnation.fields(redis.command("INFO", "server")).get("run_id");
  }

  @Test
  void theFirstNodeCreatesTheIncarnationAndTheNextOneFindsIt() throws Exception {
    try (Nodes nodes = new Nodes(redis.server())) {
      IncarnationToken first = nodes.start("a").incarnation().current();
      assertEquals(new IncarnationToken(nodes.inc("t"), "", false), first);
      assertEquals(runId(), nodes.inc("r"));
      assertEquals(Fingerprint.of(Nodes.secret(1)).value(), nodes.inc("k"));
      assertEquals("-1", redis.command("TTL", "ar:{g}:inc"), "the one key without a TTL");
      assertEquals(first, nodes.start("b").incarnation().current());
    }
  }

  @Test
  void aRestartThatKeptNothingRotatesItOnceHoweverManyNodesSeeIt() throws Exception {
    try (Nodes nodes = new Nodes(redis.server())) {
      ClusterNode a = nodes.start("a");
      ClusterNode b = nodes.start("b");
      String before = a.incarnation().current().token();
      redis.server().kill9();
      redis.server().restart();
      for (ClusterNode node : new ClusterNode[] {a, b}) {
        Await.until(node.node() + " saw the new incarnation", SOON,
            () -> node.health().isReady() && !node.incarnation().current().token().equals(before));
      }
      IncarnationToken after = a.incarnation().current();
      assertEquals(after, b.incarnation().current());
      assertEquals(new IncarnationToken(nodes.inc("t"), before, false), after);
      assertEquals(before, nodes.inc("pt"), "rotated twice: the previous token is not the one before the restart");
      assertEquals(runId(), nodes.inc("r"));
    }
  }

  @Test
  void aMereReconnectKeepsTheIncarnation() throws Exception {
    try (Nodes nodes = new Nodes(redis.server())) {
      ClusterNode a = nodes.start("a");
      IncarnationToken before = a.incarnation().current();
      BlockingQueue<String> heard = new LinkedBlockingQueue<>();
      a.health().addListener(new StoreHealth.Listener() {
        @Override
        public void ready() {
          heard.add("ready");
        }

        @Override
        public void degraded(String reason) {
          heard.add("degraded");
        }
      });
      redis.command("CLIENT", "KILL", "TYPE", "normal"); // the command and blocking connections; same Redis
      // The node may still be announcing the ready state it reached on starting: skip that.
      String first = heard.poll(10, TimeUnit.SECONDS);
      while ("ready".equals(first)) {
        first = heard.poll(10, TimeUnit.SECONDS);
      }
      assertEquals("degraded", first);
      assertEquals("ready", heard.poll(20, TimeUnit.SECONDS));
      assertEquals(before, a.incarnation().current());
      assertEquals(before, a.checkNow().toCompletableFuture().get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void aFlushRotatesItAtTheNextCheck() throws Exception {
    try (Nodes nodes = new Nodes(redis.server())) {
      ClusterNode a = nodes.start("a");
      BlockingQueue<IncarnationToken> heard = new LinkedBlockingQueue<>();
      a.incarnation().addListener(heard::add);
      String before = a.incarnation().current().token();
      redis.command("FLUSHALL");
      IncarnationToken after = a.checkNow().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertNotEquals(before, after.token());
      assertEquals(new IncarnationToken(nodes.inc("t"), before, false), after);
      assertEquals(after, heard.poll(5, TimeUnit.SECONDS));
      assertEquals(after, a.checkNow().toCompletableFuture().get(5, TimeUnit.SECONDS), "and stays");
    }
  }

  @Test
  void aNodeWithAnotherSecretIsRefusedAtStart() throws Exception {
    try (Nodes nodes = new Nodes(redis.server())) {
      nodes.start("a");
      String token = nodes.inc("t");
      StartupException refused = assertThrows(StartupException.class,
          () -> nodes.start(nodes.config("b"), Nodes.secret(2)));
      String message = refused.getMessage();
      assertTrue(message.contains("another relay secret") && message.contains("relay.secret")
          && message.contains("--redis-prefix"), message);
      byte[] secret = new byte[32];
      java.util.Arrays.fill(secret, (byte) 2);
      assertFalse(message.contains(Base64.getEncoder().encodeToString(secret)), message);
      assertFalse(message.contains(Fingerprint.of(Nodes.secret(2)).value()), message);
      assertEquals(token, nodes.inc("t"), "the refused node changed nothing");
      assertEquals(Fingerprint.of(Nodes.secret(1)).value(), nodes.inc("k"));
      // Another prefix is another cluster.
      nodes.start(nodes.config("b", "--redis-prefix", "other:"), Nodes.secret(2));
    }
  }

  @Test
  void aNodeThatCannotReachRedisIsRefusedWithTheUrlMasked() throws Exception {
    try (Nodes nodes = new Nodes(redis.server())) {
      int closed = dev.addressable.relay.testing.Sockets.freePort();
      var config = dev.addressable.relay.config.Options.parse(new String[] {"--redis",
          "redis://relay:hunter2-pw@127.0.0.1:" + closed}, java.util.Map.of()).cluster().orElseThrow();
      StartupException refused = assertThrows(StartupException.class, () -> nodes.start(config, Nodes.secret(1)));
      assertTrue(refused.getMessage().contains("redis://relay:***@127.0.0.1:" + closed), refused.getMessage());
      assertFalse(refused.getMessage().contains("hunter2"), refused.getMessage());
    }
  }
}
