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
      if (writing) {
        queue.add(new Pending(bytes, done));
        return;
      }
      writing = true;
    }
    start(new Pending(bytes, done));
  }

  private void start(Pending first) {
    Pending next = first;
    while (next != null) {
      Pending current = next;
      boolean[] sync = {true};
      boolean[] doneInline = {false};
      out.write(current.bytes, written -> {
        current.done.accept(written);
        synchronized (sync) {
          if (sync[0]) {
            doneInline[0] = true; // finished inside write(): the loop takes the next one
            return;
          }
        }
        Pending after = poll();
        if (after != null) {
          start(after);
        }
      });
      synchronized (sync) {
        sync[0] = false;
        if (!doneInline[0]) {
          return; // finishes later, on another thread, which takes the next one
        }
      }
      next = poll();
    }
  }

  /** Ends the stream after the writes asked before this. */
  void close() {
    write(new byte[0], written -> out.close());
  }

  /** The next pending write, or {@code null} (and no write under way) when there is none. */
  private synchronized Pending poll() {
    Pending next = queue.poll();
    if (next == null) {
      writing = false;
    }
    return next;
  }

  private record Pending(byte[] bytes, Consumer<Boolean> done) {}
}
