package dev.addressable.relay.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.store.Delivery;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MidsTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Mids mids = new Mids(60_000, now::get);
  private final AtomicInteger stored = new AtomicInteger();

  private Supplier<Delivery> store() {
    return () -> new Delivery(new Cursor("e", stored.incrementAndGet()), 1, List.of(), 0);
  }

  private static Delivery now(CompletionStage<Delivery> stage) {
    return stage.toCompletableFuture().join();
  }

  @Test
  void aRepeatWithinTheWindowStoresNothingAndAnswersTheFirstPosition() {
    Delivery first = now(mids.once("c a b m1", store()));
    Delivery again = now(mids.once("c a b m1", store()));
    assertEquals(1, stored.get());
    assertFalse(first.duplicate());
    assertTrue(again.duplicate());
    assertEquals(first.position(), again.position());
    assertEquals(0, again.delivered(), "nobody reached by the repeat");
    now(mids.once("c a b m2", store()));
    assertEquals(2, stored.get(), "another mid stores");
  }

  @Test
  void pastTheWindowTheSameMidStoresAgain() {
    now(mids.once("k a m", store()));
    now.addAndGet(60_000);
    assertFalse(now(mids.once("k a m", store())).duplicate());
    assertEquals(2, stored.get());
  }

  @Test
  void aSendThatStoredNothingIsForgottenSoItsRetryStores() {
    assertNull(now(mids.once("c a b m", () -> null)), "nobody at the address");
    CompletableFuture<Delivery> refused = mids.once("c a b m", () -> {
      throw new IllegalStateException("memory full");
    }).toCompletableFuture();
    assertTrue(refused.isCompletedExceptionally());
    assertFalse(now(mids.once("c a b m", store())).duplicate());
    assertEquals(0, mids.size() - 1);
  }

  @Test
  void aRetryWhileTheFirstIsBeingStoredWaitsForItsOutcome() throws Exception {
    CountDownLatch storing = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<Delivery> first = CompletableFuture.supplyAsync(() -> now(mids.once("t x m", () -> {
      storing.countDown();
      try {
        finish.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return store().get();
    })));
    storing.await();
    CompletableFuture<Delivery> retry = mids.once("t x m", store()).toCompletableFuture();
    assertFalse(retry.isDone(), "waits for the first, holding no thread");
    finish.countDown();
    assertTrue(retry.join().duplicate());
    assertEquals(first.join().position(), retry.join().position());
    assertEquals(1, stored.get());
  }

  @Test
  void atMostMaxAreRememberedTheOldestForgottenFirst() {
    for (int i = 0; i <= Mids.MAX; i++) {
      now(mids.once("c a b " + i, store()));
    }
    assertEquals(Mids.MAX, mids.size());
    assertFalse(now(mids.once("c a b 0", store())).duplicate(), "the oldest was forgotten");
    assertTrue(now(mids.once("c a b " + Mids.MAX, store())).duplicate());
  }
}
