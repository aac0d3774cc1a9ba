package dev.addressable.relay.http.fast;

import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.memory.MemoryBudget;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;

/**
 * Writes a hot connection's answers, one at a time: each is encoded into the writing thread's
 * buffer ({@link AnswerBytes}) and flushed at once; most leave whole there and then. What the
 * socket does not take is copied into a buffer of its own, charged to the memory budget until it
 * has left, and written by Jetty, which calls {@code written} (or {@code failed}) when done.
 */
final class AnswerWrite {

  /** Where a thread encodes the answer it writes; free again once {@link #write} returns. */
  private static final ThreadLocal<ByteBuffer> OUT = ThreadLocal.withInitial(() -> ByteBuffer.allocate(8 * 1024));

  private final EndPoint endPoint;
  private final MemoryBudget budget;
  private final Callback done;
  /** Bytes of an unfinished write charged to the memory budget. */
  private volatile long charged;

  /** @param done told when a write that did not finish at once has finished, or failed */
  AnswerWrite(EndPoint endPoint, MemoryBudget budget, Callback done) {
    this.endPoint = endPoint;
    this.budget = budget;
    this.done = done;
  }

  /**
   * Writes {@code answer} with the {@code Date} line given.
   *
   * @return {@code true} if it left whole now; else the outcome goes to {@code done}, or the
   *     returned failure is thrown as {@link IOException} when it failed before anything was queued
   */
  boolean write(Answer answer, byte[] dateLine, boolean close) throws IOException {
    ByteBuffer out = OUT.get();
    ByteBuffer encoded = AnswerBytes.encode(answer, dateLine, close, out);
    if (encoded == out) {
      endPoint.flush(encoded);
      if (!encoded.hasRemaining()) {
        return true;
      }
      encoded = ByteBuffer.allocate(encoded.remaining()).put(encoded).flip(); // the thread's buffer is reused
    }
    int size = encoded.remaining();
    if (!budget.tryBorrow(size)) {
      // A reader that has not taken what its socket holds, while many others have not either.
      throw new IOException("no memory for the rest of a " + size + "-byte answer: the client polls again");
    }
    charged = size;
    try {
      endPoint.write(done, encoded);
    } catch (RuntimeException e) { // e.g. a second write while one is pending: a fault of ours
      release();
      throw e;
    }
    return false;
  }

  /** Gives back what an unfinished write held of the budget; after it finished, failed, or the connection closed. */
  void release() {
    long held = charged;
    charged = 0;
    budget.giveBack(held);
  }
}
