package dev.addressable.relay.http.transport;

import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.parking.Cancellable;
import dev.addressable.relay.transport.ClientPolls;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A poll's or SSE stream's exchange that holds one of its client's slots
 * ({@code --max-polls-per-client}, {@link ClientPolls}) until the request ends, whichever way: an
 * answer (now or later, an error too), the client hanging up while it waits, or the stream
 * closing. The slot is given back exactly once, on the first of these; later ones do nothing.
 * Thread-safe.
 */
final class CappedExchange implements Exchange {

  private static final VarHandle RELEASED;

  static {
    try {
      RELEASED = MethodHandles.lookup().findVarHandle(CappedExchange.class, "released", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Exchange exchange;
  private final ClientPolls polls;
  private final String client;
  @SuppressWarnings("unused") // through RELEASED
  private volatile boolean released;

  /** Wraps {@code exchange}, whose request holds a slot of {@code client} taken from {@code polls}. */
  CappedExchange(Exchange exchange, ClientPolls polls, String client) {
    this.exchange = exchange;
    this.polls = polls;
    this.client = client;
  }

  /**
   * Starts the request: if {@code start} answers at once or throws, the request ends now (the
   * router writes that answer) and the slot is given back; if it returns {@code null}, the slot is
   * held until the answer or stream it left under way ends.
   */
  Answer serve(Supplier<Answer> start) {
    Answer now;
    try {
      now = start.get();
    } catch (RuntimeException e) {
      release();
      throw e;
    }
    if (now != null) {
      release();
    }
    return now;
  }

  /** Gives the slot back, if no one did yet: for a request that ends without passing through here. */
  void release() {
    if (RELEASED.compareAndSet(this, false, true)) {
      polls.giveBack(client);
    }
  }

  @Override
  public void answer(Answer answer) {
    release();
    exchange.answer(answer);
  }

  @Override
  public void waiting(Cancellable onHangUp) {
    exchange.waiting(() -> {
      onHangUp.cancel(); // off the waiting lists first, then the slot is free
      release();
    });
  }

  @Override
  public Stream stream(String contentType) {
    Stream out = exchange.stream(contentType);
    out.onClose(this::release); // until the caller names what else to do on close
    return new Stream() {
      @Override
      public void write(byte[] bytes, Consumer<Boolean> done) {
        out.write(bytes, done);
      }

      @Override
      public void close() {
        out.close();
      }

      @Override
      public void onClose(Runnable onClose) {
        out.onClose(() -> {
          release();
          onClose.run();
        });
      }
    };
  }
}
