package dev.addressable.clusterit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.clusterit.FaultRun.Promise;
import dev.addressable.relay.testing.RedisServerExtension;
import dev.addressable.relay.testing.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Relay processes failing while messages flow (CLUSTER.md sections 9 and 10): a relay killed with
 * {@code kill -9}, and every relay restarted in turn. Nothing acknowledged is lost, no tab is told
 * {@code missed}: tabs move to another relay and resume from their cursors, senders retry what
 * got no answer with the same {@code mid}.
 */
@Timeout(180)
class RelayFaultsTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private Path shared;
  private final List<RelayProcess> started = new CopyOnWriteArrayList<>();
  /** The relays up now, as tabs and senders see them. */
  private final List<String> up = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    redis.command("FLUSHALL");
    shared = Files.createTempDirectory("addressable-relay-faults");
  }

  @AfterEach
  void tearDown() {
    started.forEach(RelayProcess::close);
    TempDirs.delete(shared);
  }

  private RelayProcess relay(String name) {
    RelayProcess relay = RelayProcess.named(name)
        .args("--redis", redis.uri(), "--node-id", name, "--data-dir", shared.toString()).start();
    started.add(relay);
    up.add(relay.base());
    return relay;
  }

  private void down(RelayProcess relay) {
    up.remove(relay.base());
  }

  @Test
  void aRelayKilledMidStreamLosesNothingAcknowledged() throws Exception {
    RelayProcess a = relay("a");
    RelayProcess b = relay("b");
    try (FaultRun run = new FaultRun(() -> up).tabs(4)) {
      run.startSending(Duration.ofMillis(40));
      Thread.sleep(1_500);
      long threadsBefore = FaultRun.threads(b.base());
      a.kill9();
      down(a);
      Thread.sleep(2_000);
      relay("a2");
      Thread.sleep(1_500);
      run.stopSending();
      String summary = run.check(Promise.NONE_LOST, PATIENCE);
      long threadsAfter = FaultRun.threads(b.base());
      assertTrue(threadsAfter <= threadsBefore + 20, "I4: b's threads " + threadsBefore + " -> " + threadsAfter);
      System.out.println("kill -9 of a relay: " + summary);
    }
  }

  @Test
  void aRollingRestartOfEveryRelayLosesNothingAcknowledged() throws Exception {
    RelayProcess a = relay("a");
    RelayProcess b = relay("b");
    try (FaultRun run = new FaultRun(() -> up).tabs(4)) {
      run.startSending(Duration.ofMillis(40));
      Thread.sleep(1_000);
      down(a);
      a.stop();
      relay("a2");
      Thread.sleep(1_000);
      down(b);
      b.stop();
      relay("b2");
      Thread.sleep(1_000);
      run.stopSending();
      System.out.println("rolling restart: " + run.check(Promise.NONE_LOST, PATIENCE));
    }
  }
}
