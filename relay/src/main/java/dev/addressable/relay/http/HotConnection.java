package dev.addressable.relay.http;

import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.text.Ascii;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A new HTTP connection as the relay first sees it: it serves {@code GET /poll} and {@code GET} on
 * an address itself, and hands itself over to Jetty's HTTP/1.1 connection (and so to Javalin) at
 * the first request of any other kind. Jetty gives the connection back to a new one of these once
 * it has answered that request ({@link HotRoutes} asks it to).
 *
 * <p>Why: in the throughput benchmark a third of the relay's CPU went to handing each request
 * from Jetty's selector to a pool thread and back (parking, unparking, context switches), and
 * more to the general HTTP machinery. Here a request is read, parsed ({@link RequestHead}), served and answered
 * on the selector thread that saw it readable, with no hand-off; all it does there is non-blocking
 * (store a message, park or wake a poll, one write). A woken poll is written by the thread that
 * woke it, as on the Jetty path.
 *
 * <p>One request at a time: while a poll is parked nothing more is read, as HTTP/1.1 allows.
 * Bytes already read (a pipelined request) wait in {@code pending}; a parked poll keeps no buffer
 * otherwise. Its fill interest stays registered, though: then the thread that writes its answer
 * changes nothing at the selector, and the selector thread that sees the next poll arrive drops
 * and restores the interest within one pass, which the JDK's selector turns into no system call.
 * Requests arrive in the selector thread's scratch buffer, whose size is Jetty's input buffer
 * size, so a hand-over never gives Jetty more than it can take.
 */
final class HotConnection extends AbstractConnection implements Connection.UpgradeFrom, Connection.UpgradeTo {

  /** Nothing to do: waiting for bytes (the fill interest is registered). */
  private static final int IDLE = 0;
  /** A thread is in {@link #serve}: it owns the connection. */
  private static final int SERVING = 1;
  /**
   * {@link #serve} left while an answer is outstanding; the write's completion carries on. The
   * fill interest stays registered meanwhile, so that after the answer nothing changes at the
   * selector (no interest update from the writing thread, no selector wake-up).
   */
  private static final int AWAITING = 2;
  /** The answer was written while {@link #serve} was still running; it carries on. */
  private static final int ANSWERED = 3;
  /**
   * Added to the states above: the fill interest fired while someone owned the connection. The
   * owner reads next, or registers the interest again, before it lets go.
   */
  private static final int FIRED = 4;
  /** How {@link #handOver} takes back a fill interest of this connection: not a failure. */
  private static final Exception HANDED_OVER = new HandedOver();

  private static final Logger LOG = LoggerFactory.getLogger(HotConnection.class);

  private static final ThreadLocal<ByteBuffer> SCRATCH = new ThreadLocal<>();
  /** The most bytes of an answer encoded in a thread's {@link #OUT} buffer; larger ones get their own. */
  private static final int OUT_SIZE = 8 * 1024;
  /**
   * Where a thread encodes the answer it writes. Free again once {@link #write} returns: what the
   * socket did not take by then is copied out.
   */
  private static final ThreadLocal<ByteBuffer> OUT = ThreadLocal.withInitial(() -> ByteBuffer.allocate(OUT_SIZE));

  private static final byte[] COMMON_HEADERS = headers(Answer.COMMON_HEADERS);
  private static final byte[] JSON_TYPE_LINE = line("Content-Type", Answer.JSON_TYPE);
  private static final byte[] SCRIPT_TYPE_LINE = line("Content-Type", Jsonp.CONTENT_TYPE);
  private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] CLOSE_LINE = line("Connection", "close");
  private static final byte[] EMPTY = new byte[0];
  /** {@code HTTP/1.1 200 OK} and so on, by status. */
  private static final byte[][] STATUS_LINES = statusLines();
  private static volatile DateLine lastDate;

  private final HotRoutes routes;
  private final Metrics metrics;
  private final Connector connector;
  private final ConnectionFactory http;
  private final int bufferSize;
  private final AtomicInteger state = new AtomicInteger(IDLE);
  private final Callback readable = Callback.from(Invocable.InvocationType.NON_BLOCKING, this::onFillable,
      this::onFillInterestedFailed);
  private final Callback written = Callback.from(Invocable.InvocationType.NON_BLOCKING, this::written,
      this::writeFailed);
  /** Where {@link HotRoutes#answer} hands the answer: one object per connection, not per request. */
  private final Consumer<Answer> answered = this::write;
  /** Bytes read and not yet served, or {@code null}; touched only by the thread in {@link #serve}. */
  private ByteBuffer pending;
  /** What {@link #onUpgradeFrom} gives Jetty: the request it is to serve, and what follows. */
  private ByteBuffer handOver;
  private volatile boolean closeAfterAnswer;

  private HotConnection(EndPoint endPoint, Connector connector, HotRoutes routes, Metrics metrics, ConnectionFactory http,
      int bufferSize) {
    super(endPoint, connector.getExecutor());
    this.routes = routes;
    this.metrics = metrics;
    this.connector = connector;
    this.http = http;
    this.bufferSize = bufferSize;
  }

  @Override
  public void onOpen() {
    super.onOpen();
    if (pending == null) {
      fillInterested(readable);
    } else { // bytes Jetty read past the request it served: go on from them, off Jetty's stack
      state.set(SERVING);
      getExecutor().execute(() -> serveSafely(false));
    }
  }

  /** Takes the bytes Jetty's connection read and did not serve, when it hands the connection back. */
  @Override
  public void onUpgradeTo(ByteBuffer unserved) {
    pending = ByteBuffer.allocate(Math.max(bufferSize, unserved.remaining()));
    pending.put(unserved).flip();
  }

  /**
   * Bytes can be read: served here if the connection was idle. Otherwise a request is being served
   * or its answer awaited, and whoever owns the connection reads when it is done.
   */
  @Override
  public void onFillable() {
    while (true) {
      int now = state.get();
      if (now == IDLE) {
        if (state.compareAndSet(IDLE, SERVING)) {
          serveSafely(true);
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

  private void serveSafely(boolean read) {
    try {
      serve(read);
    } catch (RuntimeException e) {
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
    ByteBuffer buffer = pending;
    while (true) {
      if (read) {
        buffer = readInto(buffer);
        if (buffer == null) {
          return; // closed, handed over, or waiting for bytes
        }
      }
      byte[] bytes = buffer.array();
      int start = buffer.arrayOffset() + buffer.position();
      int limit = buffer.arrayOffset() + buffer.limit();
      int end = RequestHead.end(bytes, start, limit);
      if (end < 0) {
        if (buffer.remaining() >= bufferSize) {
          handOver(buffer); // a head longer than the buffer: Jetty reads it in parts
          return;
        }
        read = true;
        continue;
      }
      RequestHead head = RequestHead.parse(bytes, start, end);
      String[] route = head == null ? null : HotRoutes.route(head.path());
      if (route == null) {
        handOver(buffer);
        return;
      }
      metrics.fastRequest();
      buffer.position(end - buffer.arrayOffset());
      buffer = keep(buffer);
      closeAfterAnswer = head.close();
      routes.answer(route, head.path(), head.query(), head.authorization(), answered); // now or later
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

  /**
   * Leaves the outstanding answer to finish the request, unless it is written already. Called by
   * the owner, in {@link #serve}.
   *
   * @return {@code true} if the connection now awaits the answer, {@code false} if the answer is
   *     written and the caller carries on
   */
  private boolean await() {
    if ((state.get() & ~FIRED) != ANSWERED) {
      // Before letting go: the next request is read as soon as it comes, and the answer's writer
      // finds the interest already in place (on the selector thread this costs no system call).
      getEndPoint().tryFillInterested(readable);
    }
    while (true) {
      int now = state.get();
      if ((now & ~FIRED) == ANSWERED) {
        state.set(SERVING); // a lost FIRED is harmless: the caller reads or registers next
        return false;
      }
      if (state.compareAndSet(now, AWAITING | (now & FIRED))) {
        return true;
      }
    }
  }

  /**
   * Lets the connection wait for bytes. Called by the owner.
   *
   * @return {@code true} if it is idle now, {@code false} if the interest fired meanwhile and the
   *     caller should read again
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
        buffer = scratch();
      } else if (buffer.position() > 0) {
        buffer.compact().flip();
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
      buffer = keep(buffer);
      if (idle()) {
        return null;
      }
    }
  }

  /**
   * The unserved bytes of {@code buffer} in a buffer of this connection's own (the scratch buffer
   * is the thread's, and the next read elsewhere reuses it), or {@code null} if there are none.
   */
  private ByteBuffer keep(ByteBuffer buffer) {
    if (!buffer.hasRemaining()) {
      pending = null;
      return null;
    }
    if (buffer == SCRATCH.get()) {
      ByteBuffer own = ByteBuffer.allocate(bufferSize);
      own.put(buffer).flip();
      buffer.clear().limit(0);
      buffer = own;
    }
    pending = buffer;
    return buffer;
  }

  private ByteBuffer scratch() {
    ByteBuffer scratch = SCRATCH.get();
    if (scratch == null || scratch.capacity() != bufferSize) {
      scratch = ByteBuffer.allocate(bufferSize);
      SCRATCH.set(scratch);
    }
    scratch.clear().limit(0); // Jetty's fill appends after the limit
    return scratch;
  }

  /** Gives the connection, and every byte not yet served, to Jetty's HTTP/1.1 connection. */
  private void handOver(ByteBuffer buffer) {
    metrics.handOver();
    handOver = buffer;
    pending = null;
    if (getEndPoint() instanceof AbstractEndPoint endPoint) {
      endPoint.getFillInterest().onFail(HANDED_OVER); // Jetty's connection registers its own
    }
    getEndPoint().upgrade(http.newConnection(connector, getEndPoint()));
  }

  @Override
  public ByteBuffer onUpgradeFrom() {
    ByteBuffer unserved = handOver; // copied by the next connection before this call's caller returns
    handOver = null;
    return unserved;
  }

  private void write(Answer answer) {
    ByteBuffer out = OUT.get();
    ByteBuffer bytes;
    try {
      bytes = encode(answer, closeAfterAnswer, out);
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    routes.writeStarted();
    if (bytes == out) {
      // Most answers go out whole at once: straight from the thread's buffer, and done.
      try {
        getEndPoint().flush(bytes);
      } catch (IOException e) {
        writeFailed(e);
        return;
      }
      if (!bytes.hasRemaining()) {
        written();
        return;
      }
      bytes = ByteBuffer.allocate(bytes.remaining()).put(bytes).flip(); // the rest waits in a buffer of its own
    }
    try {
      getEndPoint().write(written, bytes);
    } catch (RuntimeException e) { // e.g. a second write while one is pending: a fault of ours
      routes.writeEnded();
      fail(e);
    }
  }

  /**
   * The whole answer, head and body, in one buffer, for one write: {@code out} (the thread's
   * {@link #OUT} buffer) if it fits, else a buffer of its own. A poll's body writes itself into
   * it, so a poll's answer is encoded once and allocates nothing here.
   */
  private ByteBuffer encode(Answer answer, boolean close, ByteBuffer out) {
    Answer.Utf8 body = answer.utf8();
    int length = body.length();
    byte[] status = STATUS_LINES[answer.status()];
    byte[] date = dateLine();
    byte[] type = switch (answer.contentType()) {
      case Answer.JSON_TYPE -> JSON_TYPE_LINE;
      case Jsonp.CONTENT_TYPE -> SCRIPT_TYPE_LINE;
      default -> line("Content-Type", answer.contentType());
    };
    byte[] retryAfter = answer.retryAfter() == null ? EMPTY : line("Retry-After", answer.retryAfter());
    byte[] connection = close ? CLOSE_LINE : EMPTY;
    int size = status.length + date.length + type.length + CONTENT_LENGTH.length + Ascii.digits(length) + 2
        + retryAfter.length + connection.length + COMMON_HEADERS.length + 2 + length;
    ByteBuffer into = size <= out.capacity() ? out.clear() : ByteBuffer.allocate(size);
    byte[] all = into.array();
    int at = Ascii.put(all, 0, status);
    at = Ascii.put(all, at, date);
    at = Ascii.put(all, at, type);
    at = Ascii.put(all, at, CONTENT_LENGTH);
    at = Ascii.putNumber(all, at, length);
    all[at++] = '\r';
    all[at++] = '\n';
    at = Ascii.put(all, at, retryAfter);
    at = Ascii.put(all, at, connection);
    at = Ascii.put(all, at, COMMON_HEADERS);
    all[at++] = '\r';
    all[at++] = '\n';
    body.writeTo(all, at);
    return into.limit(size);
  }

  /** {@code Date: …}, encoded once a second (Jetty's cached field changes once a second). */
  private byte[] dateLine() {
    String now = connector.getServer().getDateField().getValue();
    DateLine last = lastDate;
    if (last == null || !last.value().equals(now)) {
      last = new DateLine(now, line("Date", now));
      lastDate = last;
    }
    return last.line();
  }

  private record DateLine(String value, byte[] line) {}

  private static byte[] line(String name, String value) {
    return (name + ": " + value + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] headers(Iterable<Map.Entry<String, String>> headers) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> header : headers) {
      out.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
    }
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[][] statusLines() {
    byte[][] lines = new byte[600][];
    for (int status = 100; status < lines.length; status++) {
      lines[status] = ("HTTP/1.1 " + status + " " + HttpStatus.getMessage(status) + "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1);
    }
    return lines;
  }

  /** The answer is written (on whichever thread finished it). */
  private void written() {
    routes.writeEnded();
    int now;
    while (((now = state.get()) & ~FIRED) == SERVING) {
      if (state.compareAndSet(now, ANSWERED | (now & FIRED))) {
        return; // serve() is still running and carries on
      }
    }
    boolean fired = (state.getAndSet(SERVING) & FIRED) != 0; // was AWAITING: this thread owns it now
    if (closeAfterAnswer) {
      getEndPoint().close();
    } else if (pending != null || fired || !idle()) {
      // More to serve. Not here: this thread may be inside another connection's serve() (a send
      // that woke this poll), whose request bytes are in this thread's scratch buffer.
      boolean read = pending == null;
      getExecutor().execute(() -> serveSafely(read));
    }
  }

  private void writeFailed(Throwable failure) {
    routes.writeEnded();
    getEndPoint().close(failure);
  }

  /** A parked poll is silent on purpose; its own timeout ends it before the connection's would. */
  @Override
  public boolean onIdleExpired(TimeoutException timeout) {
    return state.get() == IDLE;
  }

  private static final class HandedOver extends Exception {
    HandedOver() {
      super("handed over to Jetty's HTTP/1.1 connection", null, false, false);
    }
  }

  /** Makes {@link HotConnection}s; the first factory of the relay's connector. */
  static final class Factory extends AbstractConnectionFactory {

    private final HotRoutes routes;
    private final Metrics metrics;
    private final ConnectionFactory http;

    /**
     * @param http the factory of Jetty's HTTP/1.1 connections, which take over at the first request
     *     this connection does not serve
     * @param bufferSize Jetty's input buffer size: the most bytes ever handed over
     */
    Factory(HotRoutes routes, Metrics metrics, ConnectionFactory http, int bufferSize) {
      super("addressable-http/1.1");
      this.routes = routes;
      this.metrics = metrics;
      this.http = http;
      setInputBufferSize(bufferSize);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
      return configure(new HotConnection(endPoint, connector, routes, metrics, http, getInputBufferSize()), connector, endPoint);
    }
  }
}
