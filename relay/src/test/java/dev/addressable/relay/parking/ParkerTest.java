package dev.addressable.relay.parking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ParkerTest {

  private final Parker parker = new Parker(10_000);

  @AfterEach
  void stop() {
    parker.close();
  }

  @Test
  void timesOutWithTheTimeoutAnswerAndLeavesTheBooks() throws Exception {
    AtomicInteger finished = new AtomicInteger();
    Parked<String> p = parker.park(Duration.ofMillis(50), () -> "timeout", self -> finished.incrementAndGet());
    assertEquals("timeout", p.future().get(5, TimeUnit.SECONDS));
    assertEquals(1, finished.get());
    assertEquals(0, parker.parkedCount());
  }

  /** What a listener was handed: answers and failures, in order. */
  private static final class Heard implements java.util.function.BiConsumer<String, Throwable> {
    final java.util.List<Object> got = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CountDownLatch once = new CountDownLatch(1);

    @Override
    public void accept(String answer, Throwable failure) {
      got.add(failure == null ? answer : failure);
      once.countDown();
    }
  }

  @Test
  void aListenerGetsTheAnswerOnceAndTheRequestLeavesTheBooks() {
    Heard heard = new Heard();
    AtomicInteger finished = new AtomicInteger();
    Parked<String> p = parker.park(Duration.ofSeconds(30), () -> "timeout", self -> finished.incrementAndGet(), heard);
    assertEquals(1, parker.parkedCount());
    assertTrue(p.complete(() -> "message"));
    assertFalse(p.complete(() -> "again"));
    assertEquals(java.util.List.of("message"), heard.got);
    assertEquals(1, finished.get());
    assertEquals(0, parker.parkedCount());
    assertThrows(IllegalStateException.class, p::future, "its answer went to the listener");
  }

  @Test
  void aListenerGetsTheTimeoutAnswer() throws Exception {
    Heard heard = new Heard();
    parker.park(Duration.ofMillis(30), () -> "timeout", self -> { }, heard);
    assertTrue(heard.once.await(5, TimeUnit.SECONDS));
    assertEquals(java.util.List.of("timeout"), heard.got);
    assertEquals(0, parker.parkedCount());
  }

  @Test
  void aListenerGetsTheFailureToMakeTheAnswerAndAListenerThatThrowsStopsNothing() {
    Heard heard = new Heard();
    Parked<String> failing = parker.park(Duration.ofSeconds(30), () -> "timeout", self -> { }, heard);
    assertTrue(failing.complete(() -> {
      throw new IllegalStateException("no answer");
    }));
    assertEquals(IllegalStateException.class, heard.got.get(0).getClass());

    Parked<String> throwing = parker.park(Duration.ofSeconds(30), () -> "timeout", self -> { }, (answer, failure) -> {
      throw new IllegalStateException("a listener's own fault");
    });
    assertTrue(throwing.complete(() -> "message"), "the waker is not the one to fail");
    assertEquals(0, parker.parkedCount());
  }

  @Test
  void completesExactlyOnceWhenCompletionAndTimeoutRace() throws Exception {
    int rounds = 2_000;
    AtomicInteger finishes = new AtomicInteger();
    AtomicInteger wins = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch done = new CountDownLatch(rounds);
    for (int i = 0; i < rounds; i++) {
      Parked<String> p = parker.park(Duration.ofMillis(i % 3), () -> "timeout", self -> finishes.incrementAndGet());
      for (int racer = 0; racer < 3; racer++) {
        pool.execute(() -> {
          if (p.complete(() -> "message")) {
            wins.incrementAndGet();
          }
        });
      }
      p.future().whenComplete((v, e) -> done.countDown());
    }
    assertTrue(done.await(20, TimeUnit.SECONDS));
    pool.shutdown();
    assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
    assertEquals(rounds, finishes.get(), "every request left its waiting list exactly once");
    assertTrue(wins.get() <= rounds);
    assertEquals(0, parker.parkedCount());
  }

  @Test
  void discardedRequestIsNeverAnswered() {
    Parked<String> p = parker.park(Duration.ofSeconds(10), () -> "timeout", self -> {});
    assertTrue(p.discard());
    assertFalse(p.complete(() -> "late"));
    assertFalse(p.future().isDone());
    assertEquals(0, parker.parkedCount());
  }

  @Test
  void drainAnswersEveryParkedRequestWithItsTimeoutAnswerAndRefusesMore() throws Exception {
    Parker draining = new Parker(100);
    Parked<String> first = draining.park(Duration.ofSeconds(60), () -> "bye", self -> {});
    Parked<String> second = draining.park(Duration.ofHours(2), () -> "bye too", self -> {});
    draining.drain();
    assertEquals("bye", first.future().get(1, TimeUnit.SECONDS));
    assertEquals("bye too", second.future().get(1, TimeUnit.SECONDS));
    assertEquals(0, draining.parkedCount());
    assertThrows(OverloadedException.class, () -> draining.park(Duration.ofSeconds(1), () -> "", self -> {}));
  }

  @Test
  void timeoutAnswersAreMadeOnTheExpiryExecutorNotTheTimerThread() throws Exception {
    ExecutorService expiry = Executors.newSingleThreadExecutor(r -> new Thread(r, "expiry"));
    try (Parker pooled = new Parker(100, expiry, dev.addressable.relay.memory.MemoryBudget.unlimited())) {
      Parked<String> p = pooled.park(Duration.ofMillis(20), () -> Thread.currentThread().getName(), self -> {});
      assertEquals("expiry", p.future().get(5, TimeUnit.SECONDS));
    } finally {
      expiry.shutdownNow();
    }
  }

  @Test
  void refusesPastItsLimit() {
    try (Parker small = new Parker(2)) {
      small.park(Duration.ofSeconds(10), () -> "", self -> {});
      small.park(Duration.ofSeconds(10), () -> "", self -> {});
      OverloadedException e = assertThrows(OverloadedException.class,
          () -> small.park(Duration.ofSeconds(10), () -> "", self -> {}));
      assertTrue(e.getMessage().contains("2"), e.getMessage());
      assertEquals(2, small.parkedCount());
    }
  }
}
