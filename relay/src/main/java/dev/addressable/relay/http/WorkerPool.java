package dev.addressable.relay.http;

import dev.addressable.relay.memory.Fatal;
import java.util.concurrent.Executor;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The threads Jetty runs handlers on; streams deliver on them too, and timed-out parked requests
 * are answered there. A job that dies of a fatal error ({@link Fatal}) ends the process instead of
 * leaving a pool that no longer runs.
 */
public final class WorkerPool implements Executor {

  final QueuedThreadPool threads;

  public WorkerPool(int maxThreads) {
    threads = new QueuedThreadPool(maxThreads, 4, 60_000) {
      @Override
      protected void onJobFailure(Throwable failure) {
        Fatal.exitIfFatal(failure);
        super.onJobFailure(failure);
      }
    };
    threads.setName("addressable-http");
  }

  @Override
  public void execute(Runnable task) {
    threads.execute(task);
  }

  /**
   * Whether a thread is running a job or one is queued. Threads leased for good (the acceptor,
   * the selectors) are always busy and do not count: with them, the pool never looked idle.
   */
  boolean isBusy() {
    return threads.getBusyThreads() - threads.getLeasedThreads() > 0 || threads.getQueueSize() > 0;
  }
}
