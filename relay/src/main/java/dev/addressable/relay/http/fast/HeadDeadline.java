package dev.addressable.relay.http.fast;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The time a request head has to arrive in whole, from its first byte (a slowloris defence):
 * started when a connection holds part of a head, cancelled when the head is in or the connection
 * hands itself over. Touched by the connection's owner; the timeout runs on Jetty's scheduler.
 */
final class HeadDeadline {

  private final Scheduler scheduler;
  private final long millis;
  private final Runnable onTimeout;
  private volatile Scheduler.Task task;

  HeadDeadline(Scheduler scheduler, long millis, Runnable onTimeout) {
    this.scheduler = scheduler;
    this.millis = millis;
    this.onTimeout = onTimeout;
  }

  /** A head has started to arrive; a deadline already running keeps its time. */
  void start() {
    if (task == null) {
      task = scheduler.schedule(this::expired, millis, TimeUnit.MILLISECONDS);
    }
  }

  void cancel() {
    Scheduler.Task running = task;
    task = null;
    if (running != null) {
      running.cancel();
    }
  }

  /** Whether the deadline ran out and was not cancelled meanwhile; clears it either way. */
  boolean takeExpired() {
    boolean was = task != null;
    task = null;
    return was;
  }

  private void expired() {
    onTimeout.run();
  }
}
