package dev.addressable.relay.http;

import dev.addressable.relay.memory.Fatal;
import dev.addressable.relay.parking.Cancellable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A new HTTP connection as the relay first sees it: it serves {@code GET /poll} and {@code GET} on
 * an address itself ({@link Route#isHot}), and hands itself over to Jetty's HTTP/1.1 connection
 * (and so to {@link CoreRoutes}) at the first request of any other kind, once that request's head
 * is in. Jetty gives the connection back to a new one of these once it has answered.
 *
 * <p>Why: in the throughput benchmark a third of the relay's CPU went to handing each request
 * from Jetty's selector to a pool thread and back. Here a request is read, parsed
 * ({@link RequestHead}), served ({@link Router}) and answered ({@link AnswerBytes}) on the selector
 * thread that saw it readable; all it does there is non-blocking. A woken poll is written by the
 * thread that woke it.
 *
 * <p>One request at a time, as HTTP/1.1 allows. While a poll waits its fill interest stays
 * registered: the thread that writes its answer then changes nothing at the selector. If the
 * interest fires meanwhile, the client either sent its next request early (kept, up to the head
 * limit) or went away: then the poll is called off at once ({@link Exchange#waiting}) and the
 * socket closed, so no request waits for a client that is gone.
 *
 * <p>Hostile clients: a request head must arrive within the head timeout from its first byte and
 * fit the head limit; a partial head's buffer and an answer the socket has not taken are charged
 * to the memory budget, and refused when it has no room (the connection is closed: the client
 * retries, nothing it was sent is lost).
 */
final class HotConnection extends AbstractConnection implements Connection.UpgradeFrom, Connection.UpgradeTo, Exchange {

  /** Nothing to do: waiting for bytes (the fill interest is registered). */
  private static final int IDLE = 0;
  /** A thread is in {@link #serve}: it owns the connection. */
  private static final int SERVING = 1;
  /** {@link #serve} left while an answer is outstanding; the write's completion carries on. */
  private static final int AWAITING = 2;
  /** The answer was written while {@link #serve} (or a {@link #PEEKING} read) was still running; it carries on. */
  private static final int ANSWERED = 3;
  private static final int BASE = 3;
  /** Flag: the fill interest fired while someone owned the connection; the owner reads next. */
  private static final int FIRED = 4;
  /** Flag, with {@link #AWAITING}: a thread reads what the client sent while its answer is outstanding. */
  private static final int PEEKING = 8;
  /** How {@link #handOver} takes back a fill interest of this connection: not a failure. */
  private static final Exception HANDED_OVER = new HandedOver();
  private static final Logger LOG = LoggerFactory.getLogger(HotConnection.class);

  /** Where a thread encodes the answer it writes; free again once {@link #answer} returns. */
  private static final ThreadLocal<ByteBuffer> OUT = ThreadLocal.withInitial(() -> ByteBuffer.allocate(8 * 1024));

  private final HotConnections shared;
  private final Connector connector;
  private final AtomicInteger state = new AtomicInteger(IDLE);
  private final Callback readable = Callback.from(Invocable.InvocationType.NON_BLOCKING, this::onFillable,
      this::onFillInterestedFailed);
  private final Callback written = Callback.from(Invocable.InvocationType.NON_BLOCKING, this::written,
      this::writeFailed);
  /** Bytes read and not yet served; touched only by the connection's owner. */
  private final RequestBytes bytes;
  /** Bytes of an unfinished write charged to the memory budget. */
  private volatile long writeCharged;
  /** What {@link #onUpgradeFrom} gives Jetty: the request it is to serve, and what follows. */
  private ByteBuffer handOver;
  /** Bytes a {@link HangUpWatch} read on Jetty's watch before this connection took over. */
  private ByteBuffer carried;
  private volatile boolean closeAfterAnswer;
  /** How to call off the request waiting for its answer, or {@code null}. */
  private volatile Cancellable waiting;
  private volatile Scheduler.Task headDeadline;

  HotConnection(EndPoint endPoint, Connector connector, HotConnections shared) {
    super(endPoint, connector.getExecutor());
    this.shared = shared;
    this.connector = connector;
    this.bytes = new RequestBytes(shared.budget, shared.bufferSize, shared.maxHeadBytes);
  }

  @Override
  public void onOpen() {
    super.onOpen();
    if (carried != null && bytes.pending() == null) { // Jetty kept nothing, the watch did
      bytes.takeBack(ByteBuffer.allocate(0), carried);
      carried = null;
    }
    if (bytes.pending() == null) {
      fillInterested(readable);
    } else { // bytes Jetty read past the request it served: go on from them, off Jetty's stack
      state.set(SERVING);
      getExecutor().execute(() -> serveSafely(false));
    }
  }

  /** Takes the bytes Jetty's connection read and did not serve, when it hands the connection back. */
  @Override
  public void onUpgradeTo(ByteBuffer unserved) {
    bytes.takeBack(unserved, carried);
    carried = null;
  }

  /** Bytes the client sent while Jetty's connection served its last request; served after those Jetty kept. */
  void carry(ByteBuffer bytes) {
    carried = bytes;
  }

  @Override
  public void onFillable() {
    while (true) {
      int now = state.get();
      if (now == IDLE) {
        if (state.compareAndSet(IDLE, SERVING)) {
          serveSafely(true);
          return;
        }
      } else if ((now & BASE) == AWAITING && (now & PEEKING) == 0) {
        if (state.compareAndSet(now, now | PEEKING)) {
          peek();
          return;
        }
      } else if ((now & FIRED) != 0 || state.compareAndSet(now, now | FIRED)) {
        return;
      }
    }
  }

  @Override
  public void onFillInterestedFailed(Throwable cause) {
    if (cause != HANDED_OVER) {
      super.onFillInterestedFailed(cause);
    }
  }

  @Override
  public void onClose(Throwable cause) {
    super.onClose(cause);
    callOff();
    cancelHeadDeadline();
    bytes.release();
    long charged = writeCharged;
    writeCharged = 0;
    shared.budget.giveBack(charged);
  }

  private void serveSafely(boolean read) {
    try {
      serve(read);
    } catch (RuntimeException | Error e) {
      Fatal.exitIfFatal(e);
      fail(e);
    }
  }

  /** A fault of the relay's own: logged, and the connection closed (no half-written answer). */
  private void fail(Throwable failure) {
    LOG.warn("closing a connection after an unexpected failure", failure);
    getEndPoint().close(failure);
  }

  /** Reads and serves requests until one is outstanding, or more bytes are needed. */
  private void serve(boolean read) {
    ByteBuffer buffer = bytes.pending();
    while (true) {
      if (read) {
        buffer = readInto(buffer);
        if (buffer == null) {
          return; // closed, handed over, or waiting for bytes
        }
      }
      byte[] array = buffer.array();
      int start = buffer.arrayOffset() + buffer.position();
      int limit = buffer.arrayOffset() + buffer.limit();
      int end = RequestHead.end(array, start, limit);
      if (end == RequestHead.NOT_SIMPLE || end < 0 && buffer.remaining() >= shared.maxHeadBytes) {
        handOver(buffer); // bare line feeds are Jetty's to judge; past the limit, Jetty answers 431
        return;
      }
      if (end < 0) {
        startHeadDeadline();
        read = true;
        continue;
      }
      cancelHeadDeadline();
      RequestHead head = RequestHead.parse(array, start, end);
      Route route = head == null ? null : Route.of(head.path());
      if (route == null || !route.isHot()) {
        handOver(buffer);
        return;
      }
      shared.metrics.fastRequest();
      buffer.position(end - buffer.arrayOffset());
      buffer = bytes.keep(buffer);
      closeAfterAnswer = head.close();
      waiting = null;
      shared.router.serve(route, head.call(), this); // answered now or later
      if (await()) {
        return; // the answer is on its way; written() carries on
      }
      if (closeAfterAnswer) {
        getEndPoint().close();
        return;
      }
      read = buffer == null;
    }
  }

  @Override
  public void answer(Answer answer) {
    write(answer);
  }

  @Override
  public void waiting(Cancellable onHangUp) {
    waiting = onHangUp;
  }

  /** The client went away (or the connection closed): the request waiting for its answer is called off. */
  private void callOff() {
    Cancellable waits = waiting;
    waiting = null;
    if (waits != null) {
      waits.cancel();
      shared.metrics.hangUp();
    }
  }

  /**
   * Leaves the outstanding answer to finish the request, unless it is written already.
   *
   * @return {@code true} if the connection now awaits the answer
   */
  private boolean await() {
    if ((state.get() & BASE) != ANSWERED) {
      // The next request is read as soon as it comes, and the answer's writer finds the interest
      // already in place (on the selector thread this costs no system call).
      getEndPoint().tryFillInterested(readable);
    }
    while (true) {
      int now = state.get();
      if ((now & BASE) == ANSWERED) {
        state.set(SERVING); // a lost FIRED is harmless: the caller reads or registers next
        return false;
      }
      if (state.compareAndSet(now, AWAITING | (now & FIRED))) {
        return true;
      }
    }
  }

  /**
   * Reads while the answer is outstanding: the client's next request, or its going away. Runs with
   * {@link #PEEKING} set, which makes the answer's writer leave the connection to this thread.
   */
  private void peek() {
    ByteBuffer buffer = bytes.pending();
    if (buffer == null) {
      buffer = bytes.scratch();
    } else if (buffer.position() > 0) {
      buffer.compact().flip();
    }
    if (bytes.isFull(buffer)) {
      // No room: the early request is as long as a head may be. Stop reading until the answer.
      buffer = bytes.canGrow(buffer) ? bytes.grow(buffer) : null;
    }
    boolean gone = false;
    if (buffer != null) {
      try {
        int filled = getEndPoint().fill(buffer);
        gone = filled < 0;
        if (filled > 0) {
          bytes.keep(buffer);
        }
      } catch (IOException reset) {
        gone = true;
      }
    }
    if (gone || bytes.refused()) {
      callOff();
      getEndPoint().close();
    } else if (buffer != null && getEndPoint().isOpen()) {
      getEndPoint().tryFillInterested(readable); // keep watching for the client leaving
    }
    while (true) {
      int now = state.get();
      if ((now & BASE) == AWAITING) {
        if (state.compareAndSet(now, now & ~PEEKING)) {
          return;
        }
      } else { // the answer was written meanwhile and left the connection to this thread
        state.set(SERVING);
        carryOn((now & FIRED) != 0);
        return;
      }
    }
  }

  /**
   * Lets the connection wait for bytes. Called by the owner.
   *
   * @return {@code true} if it is idle now, {@code false} if the interest fired meanwhile
   */
  private boolean idle() {
    getEndPoint().tryFillInterested(readable); // none needed if the one from await() is still there
    if (state.compareAndSet(SERVING, IDLE)) {
      return true;
    }
    state.set(SERVING); // FIRED
    return false;
  }

  /**
   * Reads what is there, after what {@code buffer} holds.
   *
   * @return the buffer holding unserved bytes, or {@code null} if there is nothing more to do now
   */
  private ByteBuffer readInto(ByteBuffer buffer) {
    while (true) {
      if (buffer == null) {
        buffer = bytes.scratch();
      } else if (buffer.position() > 0) {
        buffer.compact().flip();
      } else if (bytes.isFull(buffer)) {
        buffer = bytes.grow(buffer);
        if (buffer == null) {
          getEndPoint().close(); // no room in the memory budget: the client retries
          return null;
        }
      }
      int filled;
      try {
        filled = getEndPoint().fill(buffer);
      } catch (IOException e) {
        getEndPoint().close(e);
        return null;
      }
      if (filled < 0) {
        getEndPoint().close(); // the client is done
        return null;
      }
      if (filled > 0) {
        return buffer;
      }
      buffer = bytes.keep(buffer);
      if (bytes.refused()) {
        getEndPoint().close(); // no room in the memory budget: the client retries
        return null;
      }
      if (idle()) {
        return null;
      }
    }
  }

  /** A head has started to arrive: it must be whole within the head timeout. */
  private void startHeadDeadline() {
    if (headDeadline == null) {
      headDeadline = connector.getScheduler().schedule(this::headTimedOut, shared.headTimeoutMillis,
          TimeUnit.MILLISECONDS);
    }
  }

  private void cancelHeadDeadline() {
    Scheduler.Task deadline = headDeadline;
    headDeadline = null;
    if (deadline != null) {
      deadline.cancel();
    }
  }

  /**
   * The head did not arrive in time: answered 408 and closed, if the connection is still waiting
   * for it. A connection busy with an earlier request re-arms the deadline when it gets back to
   * the unfinished head.
   */
  private void headTimedOut() {
    if (headDeadline == null || !state.compareAndSet(IDLE, SERVING)) {
      headDeadline = null;
      return;
    }
    headDeadline = null;
    shared.metrics.headTimeout();
    bytes.release();
    closeAfterAnswer = true;
    write(Answer.error(new ApiException(408, "request_timeout",
        "the request head did not arrive in time (--header-timeout)"), null));
    if (!await()) {
      getEndPoint().close();
    }
  }

  /** Gives the connection, and every byte not yet served, to Jetty's HTTP/1.1 connection. */
  private void handOver(ByteBuffer buffer) {
    shared.metrics.handOver();
    cancelHeadDeadline();
    handOver = buffer;
    if (getEndPoint() instanceof AbstractEndPoint endPoint) {
      endPoint.getFillInterest().onFail(HANDED_OVER); // Jetty's connection registers its own
    }
    getEndPoint().upgrade(shared.jetty.newConnection(connector, getEndPoint())); // Jetty copies the bytes out
    bytes.release();
  }

  @Override
  public ByteBuffer onUpgradeFrom() {
    ByteBuffer unserved = handOver; // copied by the next connection before this call's caller returns
    handOver = null;
    return unserved;
  }

  private void write(Answer answer) {
    ByteBuffer out = OUT.get();
    ByteBuffer encoded;
    try {
      encoded = AnswerBytes.encode(answer, AnswerBytes.dateLine(connector.getServer().getDateField().getValue()),
          closeAfterAnswer, out);
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    shared.writeStarted();
    if (encoded == out) {
      // Most answers go out whole at once: straight from the thread's buffer, and done.
      try {
        getEndPoint().flush(encoded);
      } catch (IOException e) {
        writeFailed(e);
        return;
      }
      if (!encoded.hasRemaining()) {
        written();
        return;
      }
      encoded = ByteBuffer.allocate(encoded.remaining()).put(encoded).flip(); // the rest waits in a buffer of its own
    }
    int size = encoded.remaining();
    if (!shared.budget.tryBorrow(size)) {
      // A reader that has not taken what its socket holds, while many others have not either.
      writeFailed(new IOException("no memory for the rest of a " + size + "-byte answer: the client polls again"));
      return;
    }
    writeCharged = size;
    try {
      getEndPoint().write(written, encoded);
    } catch (RuntimeException e) { // e.g. a second write while one is pending: a fault of ours
      releaseWrite();
      shared.writeEnded();
      fail(e);
    }
  }

  private void releaseWrite() {
    long charged = writeCharged;
    writeCharged = 0;
    shared.budget.giveBack(charged);
  }

  /** The answer is written (on whichever thread finished it). */
  private void written() {
    releaseWrite();
    shared.writeEnded();
    waiting = null;
    int now;
    while (((now = state.get()) & BASE) == SERVING || (now & PEEKING) != 0) {
      if (state.compareAndSet(now, ANSWERED | (now & (FIRED | PEEKING)))) {
        return; // serve() or peek() is still running and carries on
      }
    }
    boolean fired = (state.getAndSet(SERVING) & FIRED) != 0; // was AWAITING: this thread owns it now
    carryOn(fired);
  }

  /** After an answer, as the connection's owner: close, serve what is pending, or wait for bytes. */
  private void carryOn(boolean fired) {
    if (closeAfterAnswer) {
      getEndPoint().close();
    } else if (bytes.pending() != null || fired || !idle()) {
      // More to serve. Not here: this thread may be inside another connection's serve() (a send
      // that woke this poll), whose request bytes are in this thread's scratch buffer.
      boolean read = bytes.pending() == null;
      getExecutor().execute(() -> serveSafely(read));
    }
  }

  private void writeFailed(Throwable failure) {
    releaseWrite();
    shared.writeEnded();
    getEndPoint().close(failure);
  }

  /** A waiting poll is silent on purpose; its own timeout ends it before the connection's would. */
  @Override
  public boolean onIdleExpired(TimeoutException timeout) {
    return state.get() == IDLE;
  }

  private static final class HandedOver extends Exception {
    HandedOver() {
      super("handed over to Jetty's HTTP/1.1 connection", null, false, false);
    }
  }
}
