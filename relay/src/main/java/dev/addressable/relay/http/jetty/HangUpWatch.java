package dev.addressable.relay.http.jetty;

import dev.addressable.relay.http.fast.HotConnection;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.parking.Cancellable;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices at once that the client of a request waiting on Jetty's connection went away. Jetty
 * reads nothing while a request it has read in full is being handled, so a parked request would
 * only learn of a closed socket when its answer failed, up to a poll timeout later; until then the
 * socket sits in CLOSE_WAIT and the request counts against the channel's limits. This reads in
 * its place: end of stream or a reset calls the wait off and closes the socket.
 *
 * <p>Bytes that arrive meanwhile are the client's next request (pipelining): kept, up to one
 * buffer charged to the memory budget in flight, for the {@link HotConnection} that takes the
 * connection after the answer; past that (or with no room in the budget) the watch stops reading
 * and the client is noticed only when the answer is written. A stream (SSE) has no next request:
 * what its client sends is dropped.
 *
 * <p>{@link #stop} must be called before the answer is written: from then on Jetty reads again.
 * Thread-safe: the fill callback and {@link #stop} exclude each other, and the callback only
 * reads what is there, never waits.
 */
public final class HangUpWatch implements Callback {

  private static final int CARRY_LIMIT = 8 * 1024;
  private static final Exception STOPPED = new IOException("watch stopped: the answer is being written") {
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  };

  private final EndPoint endPoint;
  private final Cancellable onHangUp;
  /** The connection that serves the client's next request, or {@code null} if there is none. */
  private final HotConnection next;
  private final MemoryBudget budget;
  private ByteBuffer carried;
  private boolean registered;
  private boolean stopped;

  private HangUpWatch(EndPoint endPoint, Cancellable onHangUp, HotConnection next, MemoryBudget budget) {
    this.endPoint = endPoint;
    this.onHangUp = onHangUp;
    this.next = next;
    this.budget = budget;
  }

  /**
   * Starts watching {@code endPoint} for its client leaving.
   *
   * @param next the connection that will serve the client's next request, or {@code null} to drop
   *     whatever the client sends
   */
  static HangUpWatch start(EndPoint endPoint, Cancellable onHangUp, HotConnection next, MemoryBudget budget) {
    HangUpWatch watch = new HangUpWatch(endPoint, onHangUp, next, budget);
    synchronized (watch) {
      watch.register();
    }
    return watch;
  }

  /** Stops reading; bytes read so far go to the next connection. Idempotent. */
  synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (registered && endPoint instanceof AbstractEndPoint abstractEndPoint) {
      registered = false;
      abstractEndPoint.getFillInterest().onFail(STOPPED); // takes back only an interest still pending
    }
    if (carried != null) {
      budget.giveBack(CARRY_LIMIT); // copied out by the next connection, or dropped with this one
      if (next != null) {
        next.carry(carried);
      }
    }
  }

  /** Bytes can be read, or the stream ended. */
  @Override
  public synchronized void succeeded() {
    registered = false;
    if (stopped) {
      return;
    }
    ByteBuffer buffer = carried != null && next != null ? carried : BufferUtil.allocate(1024);
    while (true) {
      int filled;
      try {
        filled = endPoint.fill(buffer);
      } catch (IOException reset) {
        hungUp();
        return;
      }
      if (filled < 0) {
        hungUp();
        return;
      }
      if (filled == 0) {
        register();
        return;
      }
      if (next == null) {
        BufferUtil.clear(buffer); // a stream's client has no next request
      } else {
        carried = keep(buffer);
        if (carried == null || carried.remaining() >= CARRY_LIMIT) {
          return; // no room for more: the client is noticed when its answer is written
        }
        buffer = carried;
      }
    }
  }

  /** The interest failed: the connection closed or timed out, which for a waiting request is a hang-up too. */
  @Override
  public synchronized void failed(Throwable failure) {
    registered = false;
    if (!stopped && failure != STOPPED) {
      hungUp();
    }
  }

  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  private void register() {
    registered = endPoint.tryFillInterested(this);
  }

  private void hungUp() {
    stopped = true;
    if (carried != null) {
      carried = null;
      budget.giveBack(CARRY_LIMIT);
    }
    onHangUp.cancel();
    endPoint.close();
  }

  /**
   * The bytes read so far, in a buffer with room for more (Jetty fills after the limit), or
   * {@code null} if the budget has no room for one (the bytes read are then dropped with the
   * connection's next request: the watch stops, and Jetty closes the connection after the answer).
   */
  private ByteBuffer keep(ByteBuffer buffer) {
    if (buffer == carried) {
      return buffer;
    }
    if (!budget.tryBorrow(CARRY_LIMIT)) {
      hungUp(); // its next request was read and cannot be kept: better closed than garbled
      return null;
    }
    ByteBuffer own = BufferUtil.allocate(CARRY_LIMIT);
    BufferUtil.append(own, buffer);
    return own;
  }
}
