package dev.addressable.relay.variable;

import dev.addressable.relay.config.EventConfig;
import dev.addressable.relay.event.RelayEvents;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.memory.MemoryFullException;
import dev.addressable.relay.parking.OverloadedException;
import dev.addressable.relay.store.VariableName;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Event variables ("doorbells") as the memory store keeps them: one-shot latches named by the
 * app, each with its set flag, when it was last used, and how many waiters hold it. A variable
 * never unsets; one unused for the expiry that nobody waits on is forgotten (a later wait starts
 * a fresh, unset one). The waiters themselves wait at the node ({@link Doorbells}).
 *
 * <p>Thread-safe: each variable's state is guarded by the variable itself.
 */
public final class EventVariables {

  private final ConcurrentHashMap<String, Variable> variables = new ConcurrentHashMap<>();
  private final EventConfig config;
  private final LongSupplier clock;
  private final RelayEvents events;
  private final MemoryBudget budget;

  public EventVariables(EventConfig config, LongSupplier clock, RelayEvents events, MemoryBudget budget) {
    this.config = config;
    this.clock = clock;
    this.events = events;
    this.budget = budget;
  }

  /** Whether {@code name} is a variable's name ({@link VariableName#isValid}). */
  public static boolean isName(String name) {
    return VariableName.isValid(name);
  }

  /**
   * Whether the variable is set; if not, and {@code hold}, a waiter holds it from now on (give it
   * back with {@link #release}).
   *
   * @throws OverloadedException if the relay holds its limit of variables
   * @throws MemoryFullException if the memory budget has no room for a new variable
   */
  public boolean await(String name, boolean hold) {
    Variable variable = touch(name);
    synchronized (variable) {
      if (variable.set) {
        return true;
      }
      if (hold) {
        variable.holders++;
      }
      return false;
    }
  }

  /** A waiter that held the variable left. */
  public void release(String name) {
    Variable variable = variables.get(name);
    if (variable != null) {
      synchronized (variable) {
        variable.holders--;
      }
    }
  }

  /**
   * Sets the variable.
   *
   * @return whether it was not set before (so its waiters are due an answer)
   */
  public boolean set(String name) {
    Variable variable = touch(name);
    synchronized (variable) {
      if (variable.set) {
        return false;
      }
      variable.set = true;
    }
    events.variableSet();
    return true;
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
    private boolean set;
    private int holders;
    private volatile long lastUsed;

    synchronized boolean isUnusedSince(long cutoff) {
      return holders <= 0 && lastUsed < cutoff;
    }
  }
}
