package dev.addressable.relay.transport;

import dev.addressable.relay.feed.Batch;

/**
 * The wire end of a streaming receiver (SSE or WebSocket). A {@link StreamPump} calls it from one
 * thread at a time, in order, never under an inbox lock. Each method answers whether the
 * connection is still good; {@code false} stops the pump.
 */
public interface StreamSink {

  /** Writes one batch: a missed marker first if {@code batch.missed()}, then each message. */
  boolean deliver(Batch batch);

  /** Writes a heartbeat; called when nothing was delivered for the heartbeat interval. */
  boolean heartbeat();

  /** Ends the connection from the relay's side (the pump stopped for a reason of its own). */
  void close(String code, String reason);
}
