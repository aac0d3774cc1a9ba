package dev.addressable.relay.cluster;

import com.google.common.util.concurrent.MoreExecutors;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Whether this node may use Redis now: the gate of CLUSTER.md section 4 and the degraded state
 * of section 8. The gate closes on a disconnect of the command connection, after two command
 * timeouts in a row while Redis answered nothing for a whole timeout (and a {@code PING} sent then
 * went unanswered too, when a {@linkplain #confirmWith confirmation} is set), and on a
 * {@code READONLY}, {@code LOADING} or {@code MASTERDOWN} answer; it
 * opens only when an incarnation check that began after the last closing has succeeded. Until
 * then {@link Scripts#run} refuses every script, so nothing is written in an incarnation that
 * Redis may have lost.
 *
 * <p>States: {@link State#STARTING} until the first check passed, then {@link State#READY} and
 * {@link State#DEGRADED} in turn. Listeners hear each later transition once and in order, on the
 * executor given at construction (never on Lettuce's threads, never under a lock). Closing the
 * gate itself takes a short lock and no I/O, so Lettuce's event loop may call it directly: the
 * gate is closed before the reconnect (at least 100 ms later) can start a check. Thread-safe.
 */
public final class StoreHealth {

  /** Where the node stands. */
  public enum State {
    /** Before the first incarnation check passed: the gate is closed. */
    STARTING,
    /** The gate is open: scripts may run. */
    READY,
    /** Redis is unreachable, hung, refusing writes, or not yet checked since it came back. */
    DEGRADED
  }

  /** Hears the node go degraded and ready again. Called on the health's executor, in order. */
  public interface Listener {
    void ready();

    void degraded(String reason);
  }

  private static final int TIMEOUTS_TO_DEGRADE = 2;

  private final Executor notify;
  /** A command's timeout: Redis silent this long is hung; answering, however late, it is only busy. */
  private final long timeoutNanos;
  private final LongSupplier nanoClock;
  /** When the last command was answered ({@link #nanoClock}); written on Lettuce's threads. */
  private volatile long lastAnswer;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  /** Guards the fields below it. */
  private final Object lock = new Object();
  private State state = State.STARTING;
  private String reason = "not checked yet";
  /** Counts closings of the gate: a check opens it only if none happened since the check began. */
  private long generation;
  private int timeoutsInARow;
  /** Whether a confirmation of a timeout streak is under way. */
  private boolean confirming;
  /** Asks Redis once more before a timeout streak closes the gate, or null to close it at once. */
  private volatile Supplier<? extends CompletionStage<?>> confirm;
  private CompletableFuture<Void> ready = new CompletableFuture<>();

  /**
   * @param executor where listeners are called (one at a time, in order of the transitions)
   * @param timeout a command's timeout ({@code --redis-timeout})
   * @param nanoClock {@link System#nanoTime}, or a test's clock
   */
  public StoreHealth(Executor executor, Duration timeout, LongSupplier nanoClock) {
    this.notify = MoreExecutors.newSequentialExecutor(executor);
    this.timeoutNanos = timeout.toNanos();
    this.nanoClock = nanoClock;
    this.lastAnswer = nanoClock.getAsLong();
  }

  public State state() {
    synchronized (lock) {
      return state;
    }
  }

  /** Whether scripts may run now. */
  public boolean isReady() {
    return state() == State.READY;
  }

  /** Why the node is not ready ({@code "ok"} when it is); for {@code /health} and logs, holds no secret. */
  public String reason() {
    synchronized (lock) {
      return state == State.READY ? "ok" : reason;
    }
  }

  /** Completes when the gate is open next (at once if it is open now); on the health's executor. */
  public CompletionStage<Void> whenReady() {
    CompletableFuture<Void> current;
    synchronized (lock) {
      current = ready;
    }
    return current.thenApplyAsync(v -> v, notify).minimalCompletionStage();
  }

  /**
   * Waits until the gate is open, at most {@code within}.
   *
   * @return whether it opened (it may have closed again since)
   */
  public boolean awaitReady(Duration within) throws InterruptedException {
    CompletableFuture<Void> current;
    synchronized (lock) {
      current = ready;
    }
    try {
      current.get(within.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("the ready future never fails", e);
    }
  }

  /**
   * Before a timeout streak closes the gate, {@code ping} is sent and the gate closes only if it
   * fails too. A relay whose own threads stalled (a collection, a machine short of CPU) sees its
   * commands time out when it runs again, before it has read the answers already waiting for it;
   * a fresh {@code PING} is answered then, where a hung Redis still answers nothing.
   */
  void confirmWith(Supplier<? extends CompletionStage<?>> ping) {
    this.confirm = ping;
  }

  /**
   * Adds a listener of the transitions to come. One that happened before, whose notice has not run
   * yet, is not told to it: it would hear "ready" of a gate it found open, or "degraded" twice.
   */
  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /**
   * Closes the gate: the node is degraded until a check that begins from now on passes. Cheap and
   * non-blocking, for Lettuce's callbacks too.
   *
   * @param why for logs and {@code /health}; holds no secret
   */
  void closeGate(String why) {
    List<Listener> told;
    synchronized (lock) {
      generation++;
      timeoutsInARow = 0;
      reason = why;
      if (state != State.READY) {
        return;
      }
      state = State.DEGRADED;
      ready = new CompletableFuture<>();
      told = List.copyOf(listeners);
    }
    notify.execute(() -> told.forEach(listener -> listener.degraded(why)));
  }

  /** The ticket a check takes when it begins, for {@link #open}. */
  long beginCheck() {
    synchronized (lock) {
      return generation;
    }
  }

  /**
   * Opens the gate after a check that began with {@code ticket} passed, unless the gate was
   * closed since (then a newer check must pass).
   *
   * @return whether the gate is open now
   */
  boolean open(long ticket) {
    CompletableFuture<Void> opened;
    List<Listener> told;
    synchronized (lock) {
      if (ticket != generation) {
        return false;
      }
      if (state == State.READY) {
        return true;
      }
      state = State.READY;
      timeoutsInARow = 0;
      opened = ready;
      told = List.copyOf(listeners);
    }
    opened.complete(null);
    notify.execute(() -> told.forEach(Listener::ready));
    return true;
  }

  /**
   * Records the outcome of a command ({@code null}: it succeeded). Two timeouts in a row, or an
   * answer saying Redis cannot take writes, close the gate; a success ends a run of timeouts.
   *
   * <p>A timeout counts only when Redis has answered nothing for a whole timeout. Answers still
   * arriving mean Redis is alive and the commands waited in a queue: a burst of requests, or a
   * machine short of CPU. Closing the gate then would answer every waiting receiver 503 and send
   * them all back at once, which makes the queue longer; the commands that timed out still fail
   * on their own (a send's outcome is unknown), and a hung Redis is still found one timeout later.
   */
  void observe(Throwable failure) {
    if (failure == null) {
      lastAnswer = nanoClock.getAsLong();
      synchronized (lock) {
        timeoutsInARow = 0;
      }
      return;
    }
    Throwable t = failure instanceof RedisUnavailableException && failure.getCause() != null
        ? failure.getCause() : Handoff.unwrap(failure);
    if (t instanceof RedisCommandTimeoutException) {
      if (nanoClock.getAsLong() - lastAnswer < timeoutNanos) {
        return; // busy, not silent
      }
      boolean streak;
      synchronized (lock) {
        streak = ++timeoutsInARow >= TIMEOUTS_TO_DEGRADE && !confirming;
        confirming |= streak && confirm != null;
      }
      if (streak) {
        confirmStreak();
      }
    } else if (t instanceof RedisReadOnlyException) {
      closeGate("Redis refuses writes (READONLY: a replica, after a failover?)");
    } else if (t instanceof RedisLoadingException) {
      closeGate("Redis is loading its data (LOADING)");
    } else if (String.valueOf(t.getMessage()).startsWith("MASTERDOWN")) {
      closeGate("Redis lost its primary (MASTERDOWN)");
    }
  }

  /** A timeout streak in silence: closes the gate, after the confirmation failed if there is one. */
  private void confirmStreak() {
    String why = "Redis did not answer " + TIMEOUTS_TO_DEGRADE + " commands in a row in time, nor any other";
    Supplier<? extends CompletionStage<?>> ping = confirm;
    if (ping == null) {
      closeGate(why);
      return;
    }
    CompletionStage<?> answer;
    try {
      answer = ping.get();
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete((pong, failure) -> {
      synchronized (lock) {
        confirming = false;
        if (failure == null) {
          timeoutsInARow = 0;
        }
      }
      if (failure == null) {
        lastAnswer = nanoClock.getAsLong();
      } else {
        closeGate(why + ", nor a PING");
      }
    });
  }
}
