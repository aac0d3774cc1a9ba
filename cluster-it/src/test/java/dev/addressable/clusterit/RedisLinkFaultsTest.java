package dev.addressable.clusterit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.addressable.clusterit.FaultRun.Promise;
import dev.addressable.relay.testing.RedisServerExtension;
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
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The link between one relay and Redis failing while messages flow (CLUSTER.md section 10),
 * through a proxy: added latency (200 ms, then 1,500 ms: past {@code --redis-timeout}) and a cut
 * that resets every connection. Relay a talks to Redis directly, relay b through the proxy. Nothing
 * acknowledged is lost and no tab is told {@code missed}; b answers 503 while it cannot use Redis,
 * and serves again by itself once the link heals.
 */
@Timeout(180)
class RedisLinkFaultsTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private static final Duration PATIENCE = Duration.ofSeconds(40);

  private static Path shared;
  private static RedisFaultProxy link;
  private static final List<RelayProcess> started = new CopyOnWriteArrayList<>();
  private static final List<String> up = new CopyOnWriteArrayList<>();
  private static RelayProcess b;

  /** One pair of relays for both tests: each heals the link and checks that b serves again. */
  @BeforeAll
  static void setUp() throws Exception {
    redis.command("FLUSHALL");
    shared = Files.createTempDirectory("addressable-link-faults");
    link = RedisFaultProxy.start(redis.port());
    RelayProcess a = RelayProcess.named("a").args("--redis", redis.uri(), "--node-id", "a",
        "--data-dir", shared.toString()).start();
    started.add(a);
    b = RelayProcess.named("b").args("--redis", link.uri(), "--node-id", "b", "--data-dir", shared.toString()).start();
    started.add(b);
    up.add(a.base());
    up.add(b.base());
  }

  @AfterAll
  static void tearDown() {
    started.forEach(RelayProcess::close);
    link.close();
    TempDirs.delete(shared);
  }

  @Test
  void latencyOnTheLinkSlowsButLosesNothing() throws Exception {
    try (FaultRun run = new FaultRun(() -> up).tabs(4)) {
      run.startSending(Duration.ofMillis(40));
      Thread.sleep(1_000);
      link.delay(Duration.ofMillis(200));
      Thread.sleep(3_000);
      link.delay(Duration.ofMillis(1_500));
      Thread.sleep(4_000);
      link.heal();
      Thread.sleep(2_000);
      run.stopSending();
      System.out.println("latency 200 ms then 1,500 ms on b's link: " + run.check(Promise.NONE_LOST, PATIENCE));
      assertEquals(200, b.health(Duration.ofSeconds(10)), "b serves again by itself");
    }
  }

  @Test
  void aCutLinkMakesThatRelayAnswer503UntilItHeals() throws Exception {
    try (FaultRun run = new FaultRun(() -> up).tabs(4)) {
      run.startSending(Duration.ofMillis(40));
      Thread.sleep(1_000);
      link.cut();
      Thread.sleep(3_000);
      assertEquals(503, b.health(Duration.ofSeconds(5)), "b says it is not ready while cut off");
      link.heal();
      Thread.sleep(3_000);
      run.stopSending();
      System.out.println("b's link cut for 3 s: " + run.check(Promise.NONE_LOST, PATIENCE));
      assertEquals(200, b.health(Duration.ofSeconds(10)), "b serves again by itself");
    }
  }
}
