package dev.addressable.relay.http.wire;

import dev.addressable.relay.parking.Cancellable;

/**
 * The answering side of one request, whichever path read it: the relay's own connection
 * ({@code fast.HotConnection}) or Jetty's ({@code jetty.CoreRoutes}). An endpoint answers exactly once, now
 * or later from any thread; nothing it does here blocks.
 */
public interface Exchange {

  /** Sends the whole answer. Call once; later calls are ignored. */
  void answer(Answer answer);

  /**
   * The request waits (a parked poll, a receipt, an event variable): if the client goes away first
   * (its connection closed or reset), {@code onHangUp} is cancelled at once, on some thread, to take
   * the request off the relay's books. An answer made after that is dropped.
   */
  void waiting(Cancellable onHangUp);

  /**
   * Starts a streamed answer (Server-Sent Events) instead of a whole one.
   *
   * @throws UnsupportedOperationException on a path that cannot stream (the relay's own
   *     connection hands such requests to Jetty before they reach a route)
   */
  default Stream stream(String contentType) {
    throw new UnsupportedOperationException("this path does not stream");
  }

  /**
   * A streamed answer's body: writes one at a time, each handed to the socket without a thread
   * waiting on it. Writes are serialized by the caller (one outstanding at a time).
   */
  interface Stream {

    /**
     * Writes {@code bytes}; {@code done} runs once with {@code true} when the socket took them all,
     * or {@code false} if the stream failed or closed (then no more writes).
     */
    void write(byte[] bytes, java.util.function.Consumer<Boolean> done);

    /** Ends the answer (after an outstanding write, if any); idempotent. */
    void close();

    /** {@code onClose} runs once when the client goes away or the stream is closed, however that happens. */
    void onClose(Runnable onClose);
  }
}
