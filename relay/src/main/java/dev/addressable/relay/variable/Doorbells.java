package dev.addressable.relay.variable;

import dev.addressable.relay.parking.OverloadedException;
import dev.addressable.relay.parking.Parked;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.store.Lease;
import dev.addressable.relay.store.Stages;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.store.VariableName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests at this node waiting for event variables to be set. A request waits here first, then
 * asks the store (which also takes the request's lease, so the variable is kept meanwhile);
 * setting the variable hints this node ({@link dev.addressable.relay.store.Wakeups#variable}),
 * which answers every request waiting on it. Thread-safe; waiters are answered outside every lock.
 */
public final class Doorbells {

  private final Store store;
  private final Parker parker;
  private final Executor executor;
  /** Waiting requests by variable; changed in their map bin. */
  private final ConcurrentHashMap<VariableName, List<Parked<Boolean>>> waiting = new ConcurrentHashMap<>();

  public Doorbells(Store store, Parker parker, Executor executor) {
    this.store = store;
    this.parker = parker;
    this.executor = executor;
  }

  /**
   * Completes with {@code true} once the variable is set (at once if it is), or {@code false}
   * when {@code timeout} passes first. Cancelling the future calls the wait off.
   *
   * @throws OverloadedException if the relay holds its limit of parked requests and the variable
   *     is not set (or the store's failure: its limit of variables, its memory)
   */
  public CompletableFuture<Boolean> await(VariableName name, Duration timeout) {
    if (timeout.isZero()) {
      return ask(name, Lease.NONE);
    }
    Lease lease = Lease.variable(timeout);
    Parked<Boolean> parked;
    AtomicInteger hold = new AtomicInteger(); // 1 once the lease is taken, 2 once the waiter left too
    try {
      parked = parker.park(timeout, () -> false, p -> {
        leave(name, p);
        if (hold.getAndIncrement() == 1) {
          store.release(name, lease);
        }
      });
    } catch (OverloadedException full) {
      return Stages.thenApply(ask(name, Lease.NONE), executor, set -> {
        if (!set) {
          throw full;
        }
        return true;
      }).toCompletableFuture();
    }
    waiting.compute(name, (k, list) -> {
      List<Parked<Boolean>> next = list != null ? list : new ArrayList<>(1);
      next.add(parked);
      return next;
    });
    Stages.whenDone(store.awaitVariable(name, lease), executor, (set, failure) -> {
      if (failure != null) {
        parked.complete(() -> {
          throw failure instanceof RuntimeException e ? e : new IllegalStateException(failure);
        });
      } else if (set) {
        parked.complete(() -> true);
      } else if (hold.getAndIncrement() == 1) {
        store.release(name, lease); // it left while the store took the lease
      }
    });
    return parked.future();
  }

  private CompletableFuture<Boolean> ask(VariableName name, Lease lease) {
    return store.awaitVariable(name, lease).toCompletableFuture();
  }

  /**
   * The variable was set: answers every request waiting on it here.
   *
   * @return how many were answered
   */
  public int set(VariableName name) {
    List<Parked<Boolean>> toWake = waiting.remove(name);
    if (toWake == null) {
      return 0;
    }
    int woken = 0;
    for (Parked<Boolean> parked : toWake) {
      if (parked.complete(() -> true)) {
        woken++;
      }
    }
    return woken;
  }

  private void leave(VariableName name, Parked<Boolean> parked) {
    waiting.computeIfPresent(name, (k, list) -> {
      list.remove(parked);
      return list.isEmpty() ? null : list;
    });
  }
}
