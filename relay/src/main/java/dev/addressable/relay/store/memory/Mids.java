package dev.addressable.relay.store.memory;

import dev.addressable.relay.store.Delivery;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The senders' message ids ({@code mid}) the memory store remembers, so that a retry of a send is
 * stored once: for the window ({@code --mid-window}), and at most {@link #MAX} of them (the
 * oldest are forgotten first; about 300 bytes each, so at most about 20 MiB whatever senders do).
 * A retry that arrives while the first send is being stored waits for its outcome, without a
 * thread. Thread-safe.
 */
final class Mids {

  static final int MAX = 65_536;

  private record Remembered(long until, CompletableFuture<Delivery> outcome) {}

  private final long windowMillis;
  private final LongSupplier clock;
  private final LinkedHashMap<String, Remembered> byKey = new LinkedHashMap<>();

  Mids(long windowMillis, LongSupplier clock) {
    this.windowMillis = windowMillis;
    this.clock = clock;
  }

  /**
   * Stores with {@code store} unless a send with this key (its address and {@code mid}) was
   * stored within the window: then answers that send's delivery as a {@link Delivery#duplicate}.
   * A send that stored nothing (no live address, a refusal) is forgotten, so its retry may store.
   */
  CompletionStage<Delivery> once(String key, Supplier<Delivery> store) {
    long now = clock.getAsLong();
    CompletableFuture<Delivery> mine = new CompletableFuture<>();
    Remembered seen;
    synchronized (this) {
      seen = byKey.get(key);
      if (seen != null && seen.until() <= now) {
        byKey.remove(key);
        seen = null;
      }
      if (seen == null) {
        byKey.put(key, new Remembered(now + windowMillis, mine));
        forgetOld(now);
      }
    }
    if (seen != null) {
      return seen.outcome().thenApply(first -> first == null ? null : first.asDuplicate());
    }
    try {
      Delivery stored = store.get();
      if (stored == null) {
        forget(key, mine);
      }
      mine.complete(stored);
    } catch (RuntimeException e) {
      forget(key, mine);
      mine.completeExceptionally(e);
    }
    return mine;
  }

  /** How many are remembered now. */
  synchronized int size() {
    return byKey.size();
  }

  private synchronized void forget(String key, CompletableFuture<Delivery> outcome) {
    Remembered now = byKey.get(key);
    if (now != null && now.outcome() == outcome) {
      byKey.remove(key);
    }
  }

  /** Drops the expired from the oldest end, and the oldest past {@link #MAX}. */
  private void forgetOld(long now) {
    Iterator<Map.Entry<String, Remembered>> oldest = byKey.entrySet().iterator();
    while (oldest.hasNext()) {
      Remembered next = oldest.next().getValue();
      if (byKey.size() <= MAX && next.until() > now) {
        return;
      }
      oldest.remove();
    }
  }
}
