package dev.addressable.relay.cluster;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the gate, and keeps checking: runs the incarnation check after each connect of the command
 * connection, every second while the node is not ready (a hung Redis that answers again, a check
 * that failed), and every 5 s while it is (a {@code FLUSHALL} or a failover leaves the connection
 * up). One check at a time; a request while one runs makes one more run after it. A check opens
 * the gate only if the gate was not closed while it ran.
 *
 * <p>Its one timer thread ({@code addressable-redis-check}) only starts checks, and runs the
 * pub/sub probe's ticks ({@link #every}); their steps run on Lettuce's callbacks and the caller's
 * executor.
 */
final class Gatekeeper implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Gatekeeper.class);

  static final Duration PERIOD = Duration.ofSeconds(5);
  static final Duration RETRY = Duration.ofSeconds(1);

  private final StoreHealth health;
  private final Scripts scripts;
  private final Incarnation incarnation;
  private final ScheduledExecutorService timer;
  /** Guards the fields below it. */
  private final Object lock = new Object();
  /** The check under way, and the one asked for meanwhile (which runs right after it). */
  private CompletableFuture<Incarnation.Result> running;
  private CompletableFuture<Incarnation.Result> next;
  private long lastCheck = System.nanoTime();
  /** Only the check's own callbacks touch it, one check at a time. */
  private volatile String lastProblem = "";
  /** Before {@link #start}, the first check's failure is the caller's to report (it stops the start). */
  private volatile boolean started;

  Gatekeeper(StoreHealth health, Scripts scripts, Incarnation incarnation) {
    this.health = health;
    this.scripts = scripts;
    this.incarnation = incarnation;
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "addressable-redis-check");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts the periodic checks; from now on a check that keeps the gate closed is logged. */
  void start() {
    started = true;
    timer.scheduleWithFixedDelay(this::tick, RETRY.toMillis(), RETRY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs {@code task} every {@code period} on this timer's thread too (it must be quick and never block). */
  void every(Duration period, Runnable task) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn("A periodic cluster task failed: {}", e.toString()); // the next round runs anyway
      }
    }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    boolean due;
    synchronized (lock) {
      due = running == null && (!health.isReady() || System.nanoTime() - lastCheck >= PERIOD.toNanos());
    }
    if (due) {
      check();
    }
  }

  /**
   * Runs a check now, or once more right after the one under way.
   *
   * @return the outcome of the check that covers this request
   */
  CompletionStage<Incarnation.Result> check() {
    CompletableFuture<Incarnation.Result> result;
    synchronized (lock) {
      if (running != null) {
        if (next == null) {
          next = new CompletableFuture<>();
        }
        return next;
      }
      result = new CompletableFuture<>();
      running = result;
    }
    run(result);
    return result;
  }

  private void run(CompletableFuture<Incarnation.Result> result) {
    long ticket = health.beginCheck();
    CompletionStage<Void> loaded = health.isReady() ? CompletableFuture.completedFuture(null) : scripts.loadAll();
    loaded.thenCompose(done -> incarnation.check()).whenComplete((outcome, failure) -> {
      report(ticket, outcome, failure);
      CompletableFuture<Incarnation.Result> queued;
      synchronized (lock) {
        lastCheck = System.nanoTime();
        queued = next;
        next = null;
        running = queued;
      }
      if (failure != null) {
        result.completeExceptionally(Handoff.unwrap(failure));
      } else {
        result.complete(outcome);
      }
      if (queued != null) {
        run(queued);
      }
    });
  }

  /** Acts on a check's outcome: opens the gate, or keeps it closed and says why (once per reason). */
  private void report(long ticket, Incarnation.Result outcome, Throwable failure) {
    String problem;
    if (failure != null) {
      problem = "Redis incarnation check failed: " + Handoff.unwrap(failure).getMessage();
    } else if (outcome.outcome() == Incarnation.Outcome.FOREIGN) {
      problem = "the relays already using this Redis (key " + incarnation.key() + ") have another relay secret";
      health.closeGate(problem);
    } else {
      health.open(ticket);
      problem = "";
    }
    if (started && !problem.isEmpty() && !problem.equals(lastProblem)) {
      if (health.isReady()) { // a periodic check, late in a busy queue: the gate stays open
        LOG.warn("{}; the node stays ready and checks again in {} s", problem, PERIOD.toSeconds());
      } else {
        LOG.warn("{}; the node stays degraded and checks again every {} s", problem, RETRY.toSeconds());
      }
    }
    lastProblem = problem;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
