package dev.addressable.clusterit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.clusterit.FaultRun.Promise;
import dev.addressable.relay.testing.RedisOptions;
import dev.addressable.relay.testing.RedisOptions.Persistence;
import dev.addressable.relay.testing.RedisServer;
import dev.addressable.relay.testing.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis failing while messages flow between two relays (CLUSTER.md sections 9 and 10): hung
 * ({@code SIGSTOP}), crashed and restarted under each persistence setting, and flushed. With
 * {@code appendfsync always} and through a hang nothing acknowledged is lost and no tab is told
 * {@code missed}; with weaker settings every loss is reported to its tab as {@code missed}. The
 * tests without persistence share one Redis and its relays (each ends with service back).
 */
@Timeout(180)
class RedisFaultsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(40);

  /** Redis and two relays on it; the tests without persistence share one, the others start their own. */
  static final class Cluster implements AutoCloseable {
    final RedisServer redis;
    final Path shared;
    final List<RelayProcess> relays = new CopyOnWriteArrayList<>();
    final List<String> up = new CopyOnWriteArrayList<>();

    Cluster(Persistence persistence) throws Exception {
      redis = RedisServer.start(RedisOptions.defaults().persistence(persistence));
      shared = Files.createTempDirectory("addressable-redis-faults");
      for (String name : List.of("a", "b")) {
        RelayProcess relay = RelayProcess.named(name)
            .args("--redis", redis.uri(), "--node-id", name, "--data-dir", shared.toString()).start();
        relays.add(relay);
        up.add(relay.base());
      }
    }

    @Override
    public void close() {
      relays.forEach(RelayProcess::close);
      redis.close();
      TempDirs.delete(shared);
    }
  }

  private static Cluster plain;

  @BeforeAll
  static void startPlain() throws Exception {
    plain = new Cluster(Persistence.NONE);
  }

  @AfterAll
  static void stopPlain() {
    if (plain != null) {
      plain.close();
    }
  }

  @Test
  void aHungRedisAnswers503AndLosesNothing() throws Exception {
    RedisServer redis = plain.redis;
    List<String> up = plain.up;
    try (FaultRun run = new FaultRun(() -> up).tabs(4)) {
      run.startSending(Duration.ofMillis(40));
      Thread.sleep(1_000);
      long threadsBefore = FaultRun.threads(up.get(0));
      redis.pause();
      Thread.sleep(5_000);
      redis.resume();
      Thread.sleep(2_000);
      run.stopSending();
      String summary = run.check(Promise.NONE_LOST, PATIENCE);
      assertTrue(summary.contains("503="), "senders met the documented 503 while Redis hung: " + summary);
      long threadsAfter = FaultRun.threads(up.get(0));
      assertTrue(threadsAfter <= threadsBefore + 20, "I4: threads " + threadsBefore + " -> " + threadsAfter);
      System.out.println("Redis hung 5 s: " + summary);
    }
  }

  @Test
  void aRedisCrashWithAppendfsyncAlwaysLosesNothing() throws Exception {
    try (Cluster durable = new Cluster(Persistence.ALWAYS)) {
      crashAndRestart(durable, Promise.NONE_LOST, "appendfsync always");
    }
  }

  @Test
  void aRedisCrashWithAppendfsyncEverysecReportsEveryLoss() throws Exception {
    try (Cluster everysec = new Cluster(Persistence.EVERYSEC)) {
      crashAndRestart(everysec, Promise.LOSSES_REPORTED, "appendfsync everysec");
    }
  }

  @Test
  void aRedisWithoutPersistenceRestartedReportsEveryLoss() throws Exception {
    crashAndRestart(plain, Promise.LOSSES_REPORTED, "no persistence");
  }

  @Test
  void aFlushAllIsReportedToEveryTab() throws Exception {
    List<String> up = plain.up;
    try (FaultRun run = new FaultRun(() -> up).tabs(4)) {
      run.startSending(Duration.ofMillis(40));
      Thread.sleep(1_500);
      plain.redis.command("FLUSHALL");
      Thread.sleep(2_500);
      run.stopSending();
      System.out.println("FLUSHALL: " + run.check(Promise.LOSSES_REPORTED, PATIENCE));
    }
  }

  private static void crashAndRestart(Cluster cluster, Promise promise, String setting) throws Exception {
    try (FaultRun run = new FaultRun(() -> cluster.up).tabs(4)) {
      run.startSending(Duration.ofMillis(40));
      Thread.sleep(1_500);
      cluster.redis.kill9();
      Thread.sleep(1_000);
      cluster.redis.restart();
      Thread.sleep(3_000);
      run.stopSending();
      System.out.println("Redis crashed and restarted, " + setting + ": " + run.check(promise, PATIENCE));
    }
  }
}
