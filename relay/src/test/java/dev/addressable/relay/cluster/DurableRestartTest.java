package dev.addressable.relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RedisOptions;
import dev.addressable.relay.testing.RedisOptions.Persistence;
import dev.addressable.relay.testing.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Continuity of a restart ({@code d}): kept only by a Redis that persists every write, and only as
 * far as {@code --redis-durability} lets the node believe it. Each test runs its own Redis, with
 * the append-only file it needs.
 */
@Timeout(90)
class DurableRestartTest {

  private static final Duration SOON = Duration.ofSeconds(20);

  /**
   * Starts a node, restarts Redis (after a crash, or cleanly: {@code SHUTDOWN} syncs the
   * append-only file, so even {@code everysec} keeps the key), and returns the incarnation the
   * node found after it: always a new one, since Redis's run id changed.
   */
  private static IncarnationToken crossARestart(Persistence persistence, boolean crash, String... flags) throws Exception {
    try (RedisServer redis = RedisServer.start(RedisOptions.defaults().persistence(persistence));
        Nodes nodes = new Nodes(redis)) {
      ClusterNode node = nodes.start("a", flags);
      String before = node.incarnation().current().token();
      if (crash) {
        redis.kill9();
      }
      redis.restart();
      Await.until("the node saw the restart", SOON,
          () -> node.health().isReady() && !node.incarnation().current().token().equals(before));
      IncarnationToken after = node.incarnation().current();
      assertEquals(before, after.previous());
      assertEquals(nodes.inc("t"), after.token());
      assertEquals(after.continuous() ? "1" : "0", nodes.inc("d"));
      return after;
    }
  }

  @Test
  void aRestartOfARedisThatSyncsEveryWriteKeepsContinuity() throws Exception {
    IncarnationToken after = crossARestart(Persistence.ALWAYS, true);
    assertEquals(true, after.continuous(), after.toString());
  }

  @Test
  void aRestartOfARedisThatSyncsEverySecondDoesNotEvenWhenItWasClean() throws Exception {
    assertEquals(false, crossARestart(Persistence.EVERYSEC, false).continuous());
  }

  @Test
  void durabilityNoneOverridesWhatRedisSays() throws Exception {
    assertEquals(false, crossARestart(Persistence.ALWAYS, true, "--redis-durability", "none").continuous());
  }

  @Test
  void durabilityAlwaysTrustsARedisThatSaysOtherwise() throws Exception {
    assertEquals(true, crossARestart(Persistence.EVERYSEC, false, "--redis-durability", "always").continuous());
  }

  @Test
  void aRestartOfAPersistentRedisKeepsTheKeyAndItsFingerprint() throws Exception {
    try (RedisServer redis = RedisServer.start(RedisOptions.defaults().persistence(Persistence.ALWAYS));
        Nodes nodes = new Nodes(redis)) {
      ClusterNode node = nodes.start("a");
      String fingerprint = nodes.inc("k");
      redis.kill9();
      redis.restart();
      assertEquals(fingerprint, nodes.inc("k"), "the key survived the crash");
      Await.until("ready again", SOON, node.health()::isReady);
      assertNotEquals(nodes.inc("t"), nodes.inc("pt"));
    }
  }
}
