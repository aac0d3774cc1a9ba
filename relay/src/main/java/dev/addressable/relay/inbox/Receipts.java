package dev.addressable.relay.inbox;

import dev.addressable.relay.parking.Parked;
import dev.addressable.relay.parking.Parker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Senders waiting to hear that a receiver confirmed their message (a send with {@code wait=}).
 * A confirmation of sequence number {@code n} answers every waiter for {@code n} or less with
 * {@code true}; a waiter whose time runs out is answered {@code false}. Thread-safe; waiters are
 * answered outside the lock.
 */
public final class Receipts {

  private final Parker parker;
  private final List<Pending> pending = new ArrayList<>(1);
  private long confirmed;

  private record Pending(long seq, Parked<Boolean> parked) {}

  public Receipts(Parker parker) {
    this.parker = parker;
  }

  /** Completes with whether {@code seq} is confirmed within {@code wait}. */
  public CompletableFuture<Boolean> await(long seq, Duration wait) {
    synchronized (this) {
      if (confirmed >= seq) {
        return CompletableFuture.completedFuture(true);
      }
    }
    Parked<Boolean> parked = parker.park(wait, () -> false, this::leave);
    synchronized (this) {
      if (confirmed < seq) {
        pending.add(new Pending(seq, parked));
        return parked.future();
      }
    }
    parked.discard();
    return CompletableFuture.completedFuture(true);
  }

  /** Everything up to {@code seq} was processed by a receiver. */
  public void confirm(long seq) {
    List<Parked<Boolean>> done = null;
    synchronized (this) {
      if (seq <= confirmed) {
        return;
      }
      confirmed = seq;
      for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
        Pending p = it.next();
        if (p.seq <= seq) {
          it.remove();
          if (done == null) {
            done = new ArrayList<>();
          }
          done.add(p.parked);
        }
      }
    }
    if (done != null) {
      done.forEach(p -> p.complete(() -> true));
    }
  }

  private synchronized void leave(Parked<Boolean> parked) {
    pending.removeIf(p -> p.parked == parked);
  }
}
