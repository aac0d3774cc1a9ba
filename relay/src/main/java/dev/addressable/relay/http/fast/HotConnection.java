package dev.addressable.relay.http.fast;

import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.http.wire.Route;
import dev.addressable.relay.memory.Fatal;
import dev.addressable.relay.parking.Cancellable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A new HTTP connection as the relay first sees it: it serves {@code GET /poll} and {@code GET} on
 * an address itself ({@link Route#isHot}), and hands itself over to Jetty's HTTP/1.1 connection
 * (so to {@code jetty.CoreRoutes}) at the first request of any other kind, once its head is in.
 * Jetty gives the connection back to a new one of these once it has answered.
 *
 * <p>Why: in the throughput benchmark a third of the relay's CPU went to handing each request
 * from Jetty's selector to a pool thread and back. Here a request is read, parsed
 * ({@link RequestHead}), served ({@code route.Router}) and answered ({@link AnswerWrite}) on the
 * selector thread that saw it readable, all non-blocking. A woken poll is written by the thread
 * that woke it; {@link ConnectionState} keeps those threads from acting on it at once.
 *
 * <p>One request at a time, as HTTP/1.1 allows. While a poll waits its fill interest stays
 * registered: if it fires, the client either sent its next request early (kept, up to the head
 * limit) or went away, and then the poll is called off at once ({@link Exchange#waiting}) and the
 * socket closed. A head must arrive within the head timeout ({@link HeadDeadline}); waiting bytes
 * ({@link RequestBytes}) and unsent answers are charged to the memory budget, and a connection
 * it has no room for is closed (the client retries; nothing it was sent is lost).
 */
public final class HotConnection extends AbstractConnection
    implements Connection.UpgradeFrom, Connection.UpgradeTo, Exchange {

  /** How {@link #handOver} takes back a fill interest of this connection: not a failure. */
  private static final Exception HANDED_OVER = new HandedOver();
  private static final Logger LOG = LoggerFactory.getLogger(HotConnection.class);

  private final HotConnections shared;
  private final Connector connector;
  private final ConnectionState state = new ConnectionState();
  private final Callback readable = Callback.from(Invocable.InvocationType.NON_BLOCKING, this::onFillable,
      this::onFillInterestedFailed);
  private final Callback written = Callback.from(Invocable.InvocationType.NON_BLOCKING, this::written,
      this::writeFailed);
  /** Bytes read and not yet served; touched only by the connection's owner. */
  private final RequestBytes bytes;
  private final AnswerWrite answers;
  private final HeadDeadline headDeadline;
  /** What {@link #onUpgradeFrom} gives Jetty: the request it is to serve, and what follows. */
  private ByteBuffer handOver;
  /** Bytes a {@code jetty.HangUpWatch} read on Jetty's watch before this connection took over. */
  private ByteBuffer carried;
  private volatile boolean closeAfterAnswer;
  /** How to call off the request waiting for its answer, or {@code null}. */
  private volatile Cancellable waiting;

  HotConnection(EndPoint endPoint, Connector connector, HotConnections shared) {
    super(endPoint, connector.getExecutor());
    this.shared = shared;
    this.connector = connector;
    this.bytes = new RequestBytes(shared.budget, shared.bufferSize, shared.maxHeadBytes);
    this.answers = new AnswerWrite(endPoint, shared.budget, written);
    this.headDeadline = new HeadDeadline(connector.getScheduler(), shared.headTimeoutMillis, this::headTimedOut);
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
      state.own();
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
  public void carry(ByteBuffer bytes) {
    carried = bytes;
  }

  @Override
  public void onFillable() {
    switch (state.fillable()) {
      case SERVE -> serveSafely(true);
      case PEEK -> peek();
      case LEAVE -> { } // the owner reads next
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
    headDeadline.cancel();
    bytes.release();
    answers.release();
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
        headDeadline.start();
        read = true;
        continue;
      }
      headDeadline.cancel();
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
    if (!state.isAnswered()) {
      // The next request is read as soon as it comes, and the answer's writer finds the interest
      // already in place (on the selector thread this costs no system call).
      getEndPoint().tryFillInterested(readable);
    }
    return state.await();
  }

  /**
   * Reads while the answer is outstanding: the client's next request, or its going away. While it
   * runs, the answer's writer leaves the connection to this thread ({@link ConnectionState#peeked}).
   */
  private void peek() {
    // No room: the early request is as long as a head may be. Stop reading until the answer.
    ByteBuffer buffer = bytes.roomToRead(bytes.pending());
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
    ConnectionState.Next next = state.peeked();
    if (next != ConnectionState.Next.NOT_THIS_THREAD) { // the answer was written meanwhile
      carryOn(next == ConnectionState.Next.OWN_FIRED);
    }
  }

  /**
   * Lets the connection wait for bytes. Called by the owner.
   *
   * @return {@code true} if it is idle now, {@code false} if the interest fired meanwhile
   */
  private boolean idle() {
    getEndPoint().tryFillInterested(readable); // none needed if the one from await() is still there
    return state.idle();
  }

  /**
   * Reads what is there, after what {@code buffer} holds.
   *
   * @return the buffer holding unserved bytes, or {@code null} if there is nothing more to do now
   */
  private ByteBuffer readInto(ByteBuffer buffer) {
    while (true) {
      buffer = bytes.roomToRead(buffer);
      if (buffer == null) {
        getEndPoint().close(); // no room in the memory budget: the client retries
        return null;
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

  /**
   * The head did not arrive in time: answered 408 and closed, if the connection is still waiting
   * for it. A connection busy with an earlier request re-arms the deadline when it gets back to
   * the unfinished head.
   */
  private void headTimedOut() {
    if (!headDeadline.takeExpired() || !state.takeIdle()) {
      return;
    }
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
    headDeadline.cancel();
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
    shared.writeStarted();
    boolean whole;
    try {
      whole = answers.write(answer, AnswerBytes.dateLine(connector.getServer().getDateField().getValue()),
          closeAfterAnswer);
    } catch (IOException e) {
      writeFailed(e);
      return;
    } catch (RuntimeException e) {
      shared.writeEnded();
      fail(e);
      return;
    }
    if (whole) {
      written();
    }
  }

  /** The answer is written (on whichever thread finished it). */
  private void written() {
    answers.release();
    shared.writeEnded();
    waiting = null;
    ConnectionState.Next next = state.answered();
    if (next != ConnectionState.Next.NOT_THIS_THREAD) { // it was awaiting the answer: this thread owns it now
      carryOn(next == ConnectionState.Next.OWN_FIRED);
    }
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
    answers.release();
    shared.writeEnded();
    getEndPoint().close(failure);
  }

  /** A waiting poll is silent on purpose; its own timeout ends it before the connection's would. */
  @Override
  public boolean onIdleExpired(TimeoutException timeout) {
    return state.isIdle();
  }

  private static final class HandedOver extends Exception {
    HandedOver() {
      super("handed over to Jetty's HTTP/1.1 connection", null, false, false);
    }
  }
}
