package dev.addressable.relay.parking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TimerWheelTest {

  private static final long TICK = 10;
  private final TimerWheel wheel = new TimerWheel(TICK, 8, 0);
  private final List<Parked<?>> expired = new ArrayList<>();

  private static Parked<String> request() {
    return new Parked<>(null, () -> "timeout", self -> {}, null); // never finished here: no parker needed
  }

  @Test
  void expiresARequestWhenItsDeadlineComesNeverBefore() {
    Parked<String> p = request();
    wheel.add(p, 25); // rounds up to tick 3 (time 30)
    wheel.advance(29, expired::addAll);
    assertEquals(List.of(), expired);
    wheel.advance(30, expired::addAll);
    assertEquals(List.of(p), expired);
  }

  @Test
  void aRemovedRequestNeverExpires() {
    Parked<String> kept = request();
    Parked<String> removed = request();
    wheel.add(kept, 20);
    wheel.add(removed, 20);
    wheel.remove(removed);
    wheel.remove(removed); // twice is harmless
    wheel.advance(1_000, expired::addAll);
    assertEquals(List.of(kept), expired);
  }

  @Test
  void aDeadlineMoreThanOneTurnAwayWaitsForItsOwnTurn() {
    Parked<String> far = request();
    wheel.add(far, 8 * TICK + 20); // same slot as tick 2, one turn later
    wheel.advance(3 * TICK, expired::addAll);
    assertEquals(List.of(), expired);
    wheel.advance(8 * TICK + 19, expired::addAll);
    assertEquals(List.of(), expired);
    wheel.advance(8 * TICK + 20, expired::addAll);
    assertEquals(List.of(far), expired);
  }

  @Test
  void aDeadlineAlreadyPastExpiresOnTheNextTick() {
    wheel.advance(50, expired::addAll);
    Parked<String> late = request();
    wheel.add(late, 10);
    wheel.advance(59, expired::addAll);
    assertEquals(List.of(), expired, "tick 5 was expired already; the request goes to tick 6");
    wheel.advance(60, expired::addAll);
    assertEquals(List.of(late), expired);
  }

  @Test
  void aTimerFarBehindStillExpiresEverythingDueOnce() {
    List<Parked<String>> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Parked<String> p = request();
      wheel.add(p, i * 7L);
      all.add(p);
    }
    wheel.advance(1_000_000, expired::addAll);
    assertEquals(50, expired.size());
    assertTrue(expired.containsAll(all));
  }

  @Test
  void drainHandsOverEveryRequestLeftWhateverItsDeadline() {
    Parked<String> soon = request();
    Parked<String> late = request();
    wheel.add(soon, 10);
    wheel.add(late, 1_000_000);
    wheel.drain(expired::addAll);
    assertEquals(2, expired.size());
    wheel.advance(2_000_000, expired::addAll);
    assertEquals(2, expired.size(), "drained requests are out of the wheel");
  }

  @Test
  void concurrentAddsRemovesAndTicksLoseNothingAndExpireNothingTwice() throws Exception {
    TimerWheel shared = new TimerWheel(TimeUnit.MICROSECONDS.toNanos(50), 64, System.nanoTime());
    int perThread = 20_000;
    int threads = 3;
    ConcurrentHashMap<Parked<?>, Boolean> expiredOnce = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    AtomicInteger kept = new AtomicInteger();
    AtomicBoolean ticking = new AtomicBoolean(true);
    Thread timer = new Thread(() -> {
      while (ticking.get()) {
        shared.advance(System.nanoTime(), due -> due.forEach(p -> {
          if (expiredOnce.put(p, true) != null) {
            duplicates.incrementAndGet();
          }
        }));
      }
    });
    timer.start();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      pool.execute(() -> {
        for (int i = 0; i < perThread; i++) {
          Parked<String> p = request();
          shared.add(p, System.nanoTime() + (i % 40) * 10_000L);
          if (i % 2 == 0) {
            shared.remove(p);
          } else {
            kept.incrementAndGet();
          }
        }
      });
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
    try {
      Await.value("every kept request expired (count of expired ones)", Duration.ofSeconds(10), expiredOnce::size,
          n -> n >= kept.get());
    } finally {
      ticking.set(false);
      timer.join();
    }
    assertEquals(0, duplicates.get());
    // A removed request may have expired before its remove: every kept one expired, and no more
    // than all of them did.
    assertTrue(expiredOnce.size() >= kept.get(), expiredOnce.size() + " expired of " + kept.get() + " kept");
    assertTrue(expiredOnce.size() <= threads * perThread);
  }
}
