package dev.addressable.relay.http;

import dev.addressable.relay.memory.Fatal;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs bulk wake-ups (a send to a client-wide address, a topic publish) on the connector's
 * selector threads, round robin, rather than on pool threads. Before the server listens, and after
 * it stopped, it hands them to a fallback executor (the pool).
 *
 * <p>Why: a fan-out's wake-ups on the pool ran on as many threads at once, beside the selector
 * threads that were reading the woken tabs' next polls one wake-up at a time. On the selector
 * threads the polls are read in batches: the fan-out to 10,000 went from 289–341 to 274–299 ms
 * (docs/BENCHMARKS.md).
 *
 * <p>A fan-out arrives as one task, which answers every tab in one go, as an nginx worker writes to
 * all its subscribers at once. Cut into slices of 256, it took turns with reading the woken tabs'
 * next polls, and the last tabs waited for those reads: all 10,000 had the message 10–20% later.
 * The price: meanwhile that selector serves none of its other connections, for about 25 µs per
 * tab on the benchmark machine (a quarter of a second for 10,000).
 *
 * <p>Only for tasks that never block: a woken long-poll's answer is one non-blocking write, and a
 * stream hands its writes to the pool. A task that throws is logged and does not stop the
 * selector.
 */
public final class SelectorExecutor implements Executor {

  private static final Logger LOG = LoggerFactory.getLogger(SelectorExecutor.class);

  private final Executor fallback;
  private final AtomicInteger next = new AtomicInteger();
  private volatile List<ManagedSelector> selectors = List.of();

  public SelectorExecutor(Executor fallback) {
    this.fallback = fallback;
  }

  /** From now on runs tasks on these selectors' threads. */
  void bind(SelectorManager manager) {
    selectors = List.copyOf(manager.getBeans(ManagedSelector.class));
  }

  /** From now on runs tasks on the fallback again (the server is stopping). */
  void unbind() {
    selectors = List.of();
  }

  @Override
  public void execute(Runnable task) {
    List<ManagedSelector> now = selectors;
    if (now.isEmpty()) {
      fallback.execute(task);
      return;
    }
    ManagedSelector selector = now.get(Math.floorMod(next.getAndIncrement(), now.size()));
    if (!selector.isRunning()) {
      fallback.execute(task);
      return;
    }
    selector.submit(ignored -> runSafely(task));
  }

  private static void runSafely(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      Fatal.exitIfFatal(e);
      LOG.warn("a wake-up task failed on a selector thread", e);
    }
  }
}
