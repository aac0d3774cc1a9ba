package dev.addressable.relay.store;

import java.time.Duration;

/**
 * What a read asks the store to record of its reader: nothing, or that a receiver holds the
 * channel (or waits on a variable) from now on. A held channel counts as online, is never dropped
 * as idle, and is told of new messages ({@link Wakeups}); its holder gives it back with
 * {@code release}, once, whatever happened meanwhile. A store that cannot hear of every release
 * (a node may die) lets a lease run out after its {@link #length}.
 *
 * @param length how long the receiver means to hold it: a poll's timeout; for a stream, zero, which
 *     means the store's own renewable lease
 */
public record Lease(Kind kind, Duration length) {

  /** Who holds it. */
  public enum Kind { NONE, POLL, STREAM, VARIABLE }

  /** A plain read: nothing is held, nothing to release. */
  public static final Lease NONE = new Lease(Kind.NONE, Duration.ZERO);

  /** An open stream (SSE, WebSocket) holds its channel until it closes. */
  public static final Lease STREAM = new Lease(Kind.STREAM, Duration.ZERO);

  /** A long-poll holds its channel while it waits, at most {@code timeout}. */
  public static Lease poll(Duration timeout) {
    return new Lease(Kind.POLL, timeout);
  }

  /** A request waiting on an event variable holds it while it waits, at most {@code timeout}. */
  public static Lease variable(Duration timeout) {
    return new Lease(Kind.VARIABLE, timeout);
  }

  public boolean isHeld() {
    return kind != Kind.NONE;
  }
}
