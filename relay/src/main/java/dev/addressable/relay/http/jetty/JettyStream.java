package dev.addressable.relay.http.jetty;

import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.memory.MemoryBudget;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * A streamed answer (SSE) on Jetty's connection: one write outstanding at a time, each charged to
 * the budget until it left.
 *
 * <p>A write may race the end of its request: the client hangs up ({@link #clientLeft}) or Jetty
 * fails the request ({@link #failed}) on another thread after {@link #write} saw the stream open.
 * Jetty then has no stream left to write to and throws from {@link Response#write} instead of
 * failing its callback; such a write fails as any write to a closed stream does. Seen when a tab
 * reopened its hub's stream: the new stream superseded the old one (writing it a last event) just
 * as the old connection's hang-up ended it, and the exception failed the new stream's request.
 */
final class JettyStream implements Exchange.Stream {

  private final Response response;
  private final Callback callback;
  private final MemoryBudget budget;
  private final Runnable onHangUp;
  private volatile HangUpWatch watch;
  private Runnable onClose;
  private boolean closed;

  /** @param onHangUp counts a client that went away (the metrics' hang-ups) */
  JettyStream(Response response, Callback callback, MemoryBudget budget, Runnable onHangUp) {
    this.response = response;
    this.callback = callback;
    this.budget = budget;
    this.onHangUp = onHangUp;
  }

  /** The watch for the client hanging up, stopped when the stream ends. */
  void watch(HangUpWatch watching) {
    this.watch = watching;
  }

  @Override
  public void write(byte[] bytes, Consumer<Boolean> done) {
    synchronized (this) {
      if (closed) {
        done.accept(false);
        return;
      }
    }
    if (!budget.tryBorrow(bytes.length)) {
      failed(new EofException("no memory for this stream's next " + bytes.length + " bytes: the client reconnects"));
      done.accept(false);
      return;
    }
    Write write = new Write(bytes.length, done);
    try {
      response.write(false, ByteBuffer.wrap(bytes), write);
    } catch (RuntimeException ended) {
      if (write.settled) {
        throw ended; // not Jetty refusing the write: what its callback ran threw
      }
      write.failed(new EofException("the stream ended before this write: " + ended));
    }
  }

  @Override
  public void close() {
    Runnable then = markClosed();
    if (then == null) {
      return;
    }
    stopWatching();
    try {
      response.write(true, BufferUtil.EMPTY_BUFFER, callback);
    } catch (RuntimeException ended) {
      endRequest(new EofException("the stream ended before its last write: " + ended));
    }
    then.run();
  }

  @Override
  public void onClose(Runnable action) {
    boolean now;
    synchronized (this) {
      now = closed;
      if (!now) {
        onClose = action;
      }
    }
    if (now) {
      action.run();
    }
  }

  /** The client went away. */
  void clientLeft() {
    onHangUp.run();
    failed(new EofException("the client went away"));
  }

  /** Ends the stream and its request with {@code failure}, once; later calls do nothing. */
  void failed(Throwable failure) {
    Runnable then = markClosed();
    if (then == null) {
      return;
    }
    stopWatching();
    endRequest(failure);
    then.run();
  }

  /** Closes the stream once: the action to run then, or {@code null} if it was closed already. */
  private synchronized Runnable markClosed() {
    if (closed) {
      return null;
    }
    closed = true;
    return onClose != null ? onClose : () -> { };
  }

  private void stopWatching() {
    HangUpWatch watching = watch;
    if (watching != null) {
      watching.stop();
    }
  }

  /** Fails the request's callback; one Jetty ended already may refuse, which changes nothing. */
  private void endRequest(Throwable failure) {
    try {
      callback.failed(failure);
    } catch (RuntimeException ended) {
      // The request is over either way.
    }
  }

  /**
   * One write's callback: its bytes go back to the budget and {@code done} hears how it went.
   * {@link #settled} tells a throw from {@link Response#write} that came after this ran inline
   * (the writer's own) from Jetty refusing the write (this never runs then).
   */
  private final class Write implements Callback {

    private final int bytes;
    private final Consumer<Boolean> done;
    private boolean settled;

    Write(int bytes, Consumer<Boolean> done) {
      this.bytes = bytes;
      this.done = done;
    }

    @Override
    public void succeeded() {
      settled = true;
      budget.giveBack(bytes);
      done.accept(true);
    }

    @Override
    public void failed(Throwable failure) {
      settled = true;
      budget.giveBack(bytes);
      JettyStream.this.failed(failure);
      done.accept(false);
    }

    @Override
    public InvocationType getInvocationType() {
      return InvocationType.NON_BLOCKING;
    }
  }
}
