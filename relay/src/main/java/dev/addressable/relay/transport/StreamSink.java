package dev.addressable.relay.transport;

import dev.addressable.relay.feed.Batch;
import java.util.function.Consumer;

/**
 * The wire end of a streaming receiver (SSE or WebSocket). A {@link StreamPump} calls it one call
 * at a time, never under a lock, and makes no further call until the last one's {@code then} ran:
 * a reader that does not read holds back its own stream, never a thread. {@code then} may run on
 * any thread; {@code false} there means the connection is gone, which stops the pump.
 */
public interface StreamSink {

  /**
   * Writes one batch: a missed marker first if {@code batch.missed()}, then each message; runs
   * {@code then} once the socket has taken it (or failed).
   */
  void deliver(Batch batch, Consumer<Boolean> then);

  /**
   * Writes a heartbeat carrying {@code now}, the relay's clock in epoch milliseconds (nothing was
   * delivered for the heartbeat interval); runs {@code then} as above.
   */
  void heartbeat(long now, Consumer<Boolean> then);

  /** Ends the connection from the relay's side (the pump stopped for a reason of its own). */
  void close(String code, String reason);
}
