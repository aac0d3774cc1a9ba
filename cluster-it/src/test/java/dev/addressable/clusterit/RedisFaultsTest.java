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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis failing while messages flow between two relays (CLUSTER.md sections 9 and 10): hung
 * ({@code SIGSTOP}), crashed and restarted under each persistence setting, and flushed. With
 * {@code appendfsync always} and through a hang nothing acknowledged is lost and no tab is told
 * {@code missed}; with weaker settings every loss is reported to its tab as {@code missed}.
 */
@Timeout(180)
class RedisFaultsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(40);

  private RedisServer redis;
  private Path shared;
  private final List<RelayProcess> started = new CopyOnWriteArrayList<>();
  private final List<String> up = new CopyOnWriteArrayList<>();

  private void start(Persistence persistence) throws Exception {
    redis = RedisServer.start(RedisOptions.defaults().persistence(persistence));
    shared = Files.createTempDirectory("addressable-redis-faults");
    for (String name : List.of("a", "b")) {
      RelayProcess relay = RelayProcess.named(name)
          .args("--redis", redis.uri(), "--node-id", name, "--data-dir", shared.toString()).start();
      started.add(relay);
      up.add(relay.base());
    }
  }

  @AfterEach
  void tearDown() {
    started.forEach(RelayProcess::close);
    if (redis != null) {
      redis.close();
    }
    if (shared != null) {
      TempDirs.delete(shared);
    }
  }

  @Test
  void aHungRedisAnswers503AndLosesNothing() throws Exception {
    start(Persistence.NONE);
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
    start(Persistence.ALWAYS);
    crashAndRestart(Promise.NONE_LOST, "appendfsync always");
  }

  @Test
  void aRedisCrashWithAppendfsyncEverysecReportsEveryLoss() throws Exception {
    start(Persistence.EVERYSEC);
    crashAndRestart(Promise.LOSSES_REPORTED, "appendfsync everysec");
  }

  @Test
  void aRedisWithoutPersistenceRestartedOrFlushedReportsEveryLoss() throws Exception {
    start(Persistence.NONE);
    crashAndRestart(Promise.LOSSES_REPORTED, "no persistence");
  }

  @Test
  void aFlushAllIsReportedToEveryTab() throws Exception {
    start(Persistence.NONE);
    try (FaultRun run = new FaultRun(() -> up).tabs(4)) {
      run.startSending(Duration.ofMillis(40));
      Thread.sleep(1_500);
      redis.command("FLUSHALL");
      Thread.sleep(2_500);
      run.stopSending();
      System.out.println("FLUSHALL: " + run.check(Promise.LOSSES_REPORTED, PATIENCE));
    }
  }

  private void crashAndRestart(Promise promise, String setting) throws Exception {
    try (FaultRun run = new FaultRun(() -> up).tabs(4)) {
      run.startSending(Duration.ofMillis(40));
      Thread.sleep(1_500);
      redis.kill9();
      Thread.sleep(1_000);
      redis.restart();
      Thread.sleep(3_000);
      run.stopSending();
      System.out.println("Redis crashed and restarted, " + setting + ": " + run.check(promise, PATIENCE));
    }
  }
}
