package dev.addressable.relay.http.transport;

import dev.addressable.relay.http.wire.Exchange;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One stream's writes, one at a time in the order asked, for writers that do not wait for each
 * other (the channels of a hub's SSE stream). What waits is bounded by its writers: each channel's
 * pump has at most one batch out, plus the heartbeat and a refusal or two. Thread-safe.
 */
final class SerialWrites {

  private final Exchange.Stream out;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean writing;

  SerialWrites(Exchange.Stream out) {
    this.out = out;
  }

  /** Writes {@code bytes} after those asked before; {@code done} as in {@link Exchange.Stream#write}. */
  void write(byte[] bytes, Consumer<Boolean> done) {
    synchronized (this) {
      queue.add(new Pending(bytes, done));
      if (writing) {
        return; // the write under way takes it next
      }
      writing = true;
    }
    next();
  }

  /** Ends the stream after the writes asked before this. */
  void close() {
    write(new byte[0], written -> out.close());
  }

  /** Starts the next pending write; its completion starts the one after (at most one per writer waits). */
  private void next() {
    Pending pending;
    synchronized (this) {
      pending = queue.poll();
      if (pending == null) {
        writing = false;
        return;
      }
    }
    out.write(pending.bytes, written -> {
      pending.done.accept(written);
      next();
    });
  }

  private record Pending(byte[] bytes, Consumer<Boolean> done) {}
}
