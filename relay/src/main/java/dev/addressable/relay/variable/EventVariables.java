package dev.addressable.relay.variable;

import dev.addressable.relay.config.EventConfig;
import dev.addressable.relay.event.RelayEvents;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.memory.MemoryFullException;
import dev.addressable.relay.parking.OverloadedException;
import dev.addressable.relay.parking.Parked;
import dev.addressable.relay.parking.Parker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Event variables ("doorbells"): one-shot latches named by the app. Waiting on one parks like a
 * long-poll; setting it answers every waiter and every later wait at once. A variable never unsets;
 * one unused for the expiry is forgotten (a later wait starts a fresh, unset one).
 *
 * <p>Thread-safe: each variable's state is guarded by the variable itself; waiters are answered
 * after its lock is released.
 */
public final class EventVariables {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{16,128}");

  private final ConcurrentHashMap<String, Variable> variables = new ConcurrentHashMap<>();
  private final EventConfig config;
  private final Parker parker;
  private final LongSupplier clock;
  private final RelayEvents events;
  private final MemoryBudget budget;

  public EventVariables(EventConfig config, Parker parker, LongSupplier clock, RelayEvents events, MemoryBudget budget) {
    this.config = config;
    this.parker = parker;
    this.clock = clock;
    this.events = events;
    this.budget = budget;
  }

  public static boolean isName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * Completes with {@code true} once the variable is set (at once if it is), or {@code false}
   * when {@code timeout} passes first.
   *
   * @throws OverloadedException if the relay holds its limit of variables or parked requests
   * @throws MemoryFullException if the memory budget has no room for a new variable
   */
  public CompletableFuture<Boolean> await(String name, Duration timeout) {
    Variable variable = touch(name);
    synchronized (variable) {
      if (variable.set) {
        return CompletableFuture.completedFuture(true);
      }
      if (timeout.isZero()) {
        return CompletableFuture.completedFuture(false);
      }
      Parked<Boolean> parked = parker.park(timeout, () -> false, variable::leave);
      variable.waiters.add(parked);
      return parked.future();
    }
  }

  /**
   * Sets the variable, answering everyone waiting on it.
   *
   * @return how many waiters were answered
   */
  public int set(String name) {
    Variable variable = touch(name);
    List<Parked<Boolean>> toWake;
    synchronized (variable) {
      if (variable.set) {
        return 0;
      }
      variable.set = true;
      toWake = new ArrayList<>(variable.waiters);
      variable.waiters.clear();
    }
    events.variableSet();
    int woken = 0;
    for (Parked<Boolean> parked : toWake) {
      if (parked.complete(() -> true)) {
        woken++;
      }
    }
    return woken;
  }

  public int size() {
    return variables.size();
  }

  /** Forgets variables unused for the expiry that nobody waits on. */
  public void sweep() {
    long cutoff = clock.getAsLong() - config.expiry().toMillis();
    for (String name : variables.keySet()) {
      variables.computeIfPresent(name, (key, variable) -> {
        if (!variable.isUnusedSince(cutoff)) {
          return variable;
        }
        budget.release(cost(key));
        return null;
      });
    }
  }

  private Variable touch(String name) {
    long now = clock.getAsLong();
    return variables.compute(name, (key, variable) -> {
      if (variable == null) {
        if (variables.size() >= config.maxVariables()) {
          throw new OverloadedException("the relay holds " + config.maxVariables() + " event variables already");
        }
        budget.reserveOrThrow(cost(key), "a new event variable");
        variable = new Variable();
      }
      variable.lastUsed = now;
      return variable;
    });
  }

  private static long cost(String name) {
    return MemoryBudget.VARIABLE + 2L * name.length();
  }

  private static final class Variable {
    private final List<Parked<Boolean>> waiters = new ArrayList<>(1);
    private boolean set;
    private volatile long lastUsed;

    synchronized void leave(Parked<Boolean> parked) {
      waiters.remove(parked);
    }

    synchronized boolean isUnusedSince(long cutoff) {
      return waiters.isEmpty() && lastUsed < cutoff;
    }
  }
}
