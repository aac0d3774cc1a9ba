package dev.addressable.relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gate and the degraded state, without Redis: the transitions and who hears them. */
@Timeout(30)
class StoreHealthTest {

  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  /** Now, in nanoseconds: moved by the tests. */
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final StoreHealth health = new StoreHealth(executor, Duration.ofSeconds(1), now::get);
  private final List<String> heard = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private void listen() {
    listen(health, heard);
  }

  /** Writes what {@code to} tells its listeners into {@code heard}. */
  private static void listen(StoreHealth to, List<String> heard) {
    to.addListener(new StoreHealth.Listener() {
      @Override
      public void ready() {
        heard.add("ready");
      }

      @Override
      public void degraded(String reason) {
        heard.add("degraded: " + reason);
      }
    });
  }

  private void opened() {
    assertTrue(health.open(health.beginCheck()));
  }

  @Test
  void startsClosedAndOpensAfterACheck() throws Exception {
    assertEquals(StoreHealth.State.STARTING, health.state());
    assertFalse(health.isReady());
    assertFalse(health.awaitReady(Duration.ofMillis(20)));
    opened();
    assertEquals(StoreHealth.State.READY, health.state());
    assertEquals("ok", health.reason());
    assertTrue(health.awaitReady(Duration.ZERO));
    health.whenReady().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void aCheckThatBeganBeforeAClosingCannotOpenTheGate() {
    long stale = health.beginCheck();
    health.closeGate("lost the connection to Redis");
    assertFalse(health.open(stale));
    assertFalse(health.isReady());
    assertEquals("lost the connection to Redis", health.reason());
    assertTrue(health.open(health.beginCheck()));
    assertTrue(health.isReady());
  }

  @Test
  void twoTimeoutsInARowDegradeTheNodeAndASuccessBreaksTheRun() {
    opened();
    now.addAndGet(Duration.ofSeconds(2).toNanos()); // nothing answered since
    RedisCommandTimeoutException timeout = new RedisCommandTimeoutException("Command timed out after 1 second(s)");
    health.observe(timeout);
    health.observe(null);
    now.addAndGet(Duration.ofMillis(1500).toNanos());
    health.observe(RedisUnavailableException.classify(timeout));
    assertTrue(health.isReady(), "one timeout after a success");
    health.observe(timeout);
    assertEquals(StoreHealth.State.DEGRADED, health.state());
    assertTrue(health.reason().contains("in a row"), health.reason());
  }

  @Test
  void timeoutsWhileRedisStillAnswersMeanABusyQueueAndKeepTheGateOpen() {
    opened();
    RedisCommandTimeoutException timeout = new RedisCommandTimeoutException("Command timed out after 1 second(s)");
    for (int i = 0; i < 10; i++) {
      now.addAndGet(Duration.ofMillis(300).toNanos());
      health.observe(timeout); // queued behind a burst: late, while other answers keep coming
      health.observe(timeout);
      health.observe(null);
    }
    assertTrue(health.isReady(), "answers 300 ms apart: Redis is busy, not hung");

    now.addAndGet(Duration.ofMillis(999).toNanos());
    health.observe(timeout);
    health.observe(timeout);
    assertTrue(health.isReady(), "silent for less than one timeout");
    now.addAndGet(Duration.ofMillis(1).toNanos());
    health.observe(timeout);
    assertTrue(health.isReady(), "the first timeout after a whole timeout of silence");
    health.observe(timeout);
    assertEquals(StoreHealth.State.DEGRADED, health.state(), "two in a row, Redis silent for a whole timeout: hung");
  }

  @Test
  void aStreakInSilenceAsksOnePingAndClosesTheGateOnlyIfThatFailsToo() {
    opened();
    List<CompletableFuture<String>> pings = new CopyOnWriteArrayList<>();
    health.confirmWith(() -> {
      CompletableFuture<String> ping = new CompletableFuture<>();
      pings.add(ping);
      return ping;
    });
    RedisCommandTimeoutException timeout = new RedisCommandTimeoutException("Command timed out after 1 second(s)");
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    health.observe(timeout);
    health.observe(timeout);
    health.observe(timeout);
    health.observe(timeout);
    assertEquals(1, pings.size(), "one PING for the streak, however long it grows meanwhile");
    assertTrue(health.isReady(), "not degraded while the PING is out");

    pings.get(0).complete("PONG"); // the relay had stalled; Redis answers at once
    assertTrue(health.isReady());
    now.addAndGet(Duration.ofMillis(500).toNanos());
    health.observe(timeout);
    health.observe(timeout);
    assertEquals(1, pings.size(), "the PONG counts as an answer: half a second since is no silence");

    now.addAndGet(Duration.ofSeconds(2).toNanos());
    health.observe(timeout);
    health.observe(timeout);
    assertEquals(2, pings.size());
    pings.get(1).completeExceptionally(new RedisCommandTimeoutException("Command timed out after 1 second(s)"));
    assertEquals(StoreHealth.State.DEGRADED, health.state(), "Redis hung: the PING went unanswered too");
    assertTrue(health.reason().endsWith("nor a PING"), health.reason());
  }

  @Test
  void answersSayingRedisTakesNoWritesCloseTheGate() {
    for (Throwable refusal : List.of(new RedisReadOnlyException("READONLY You can't write against a read only replica."),
        new RedisLoadingException("LOADING Redis is loading the dataset in memory"),
        new RedisCommandExecutionException("MASTERDOWN Link with MASTER is down"))) {
      opened();
      health.observe(refusal);
      assertEquals(StoreHealth.State.DEGRADED, health.state(), refusal.getMessage());
    }
    opened();
    health.observe(new RedisCommandExecutionException("WRONGTYPE Operation against a key holding the wrong kind of value"));
    assertTrue(health.isReady(), "a script's own error says nothing about Redis's health");
  }

  @Test
  void listenersHearEachTransitionOnceAndInOrder() throws Exception {
    listen();
    health.closeGate("before the first check"); // still starting: nothing to hear
    opened();
    health.closeGate("lost the connection to Redis");
    health.closeGate("lost it again"); // already degraded
    opened();
    opened(); // already ready
    executor.shutdown();
    assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS));
    assertEquals(List.of("ready", "degraded: lost the connection to Redis", "ready"), heard);
  }

  @Test
  void aListenerAddedAfterATransitionDoesNotHearIt() {
    // The notice of a transition runs later, on the executor: here, only when the test says so.
    Queue<Runnable> later = new ArrayDeque<>();
    StoreHealth slow = new StoreHealth(later::add, Duration.ofSeconds(1), now::get);
    assertTrue(slow.open(slow.beginCheck()));
    List<String> late = new CopyOnWriteArrayList<>();
    listen(slow, late);
    slow.closeGate("lost the connection to Redis");
    while (!later.isEmpty()) {
      later.poll().run();
    }
    assertEquals(List.of("degraded: lost the connection to Redis"), late,
        "the gate was open when the listener came: the opening is not news to it");
  }

  @Test
  void waitersAreReleasedWhenTheGateOpens() throws Exception {
    var waiting = health.whenReady().toCompletableFuture();
    assertFalse(waiting.isDone());
    opened();
    waiting.get(5, TimeUnit.SECONDS);
    health.closeGate("lost the connection to Redis");
    var next = health.whenReady().toCompletableFuture();
    assertFalse(health.awaitReady(Duration.ofMillis(20)));
    opened();
    next.get(5, TimeUnit.SECONDS);
  }
}
