package dev.addressable.relay.http.fast;

import dev.addressable.relay.memory.MemoryBudget;
import java.nio.ByteBuffer;

/**
 * The bytes one {@link HotConnection} has read and not yet served. A read lands in the reading
 * thread's scratch buffer; only bytes that must wait (a head not yet whole, a request sent before
 * the last one was answered) are kept in a buffer of the connection's own, charged to the memory
 * budget in flight while they wait, and grown up to the head limit for a long head. A parked poll
 * keeps no buffer at all.
 *
 * <p>Not thread-safe: only the connection's owner (the thread its state machine lets serve or
 * peek) touches it.
 */
public final class RequestBytes {

  private static final ThreadLocal<ByteBuffer> SCRATCH = new ThreadLocal<>();

  private final MemoryBudget budget;
  private final int readSize;
  private final int maxHead;
  /** Bytes kept, or {@code null}. */
  private ByteBuffer pending;
  /** Bytes of {@link #pending} charged to the budget. */
  private long charged;
  /** The budget had no room: the connection must close. */
  private boolean refused;

  RequestBytes(MemoryBudget budget, int readSize, int maxHead) {
    this.budget = budget;
    this.readSize = readSize;
    this.maxHead = maxHead;
  }

  /** The bytes kept, or {@code null} if there are none. */
  ByteBuffer pending() {
    return pending;
  }

  /** Whether the budget refused room for bytes that had to wait (the connection must close). */
  boolean refused() {
    return refused;
  }

  /** The reading thread's empty scratch buffer. */
  ByteBuffer scratch() {
    ByteBuffer scratch = SCRATCH.get();
    if (scratch == null || scratch.capacity() != readSize) {
      scratch = ByteBuffer.allocate(readSize);
      SCRATCH.set(scratch);
    }
    scratch.clear().limit(0); // Jetty's fill appends after the limit
    return scratch;
  }

  /**
   * The unserved bytes of {@code buffer} in a buffer of this connection's own (the scratch buffer
   * is the thread's, and the next read elsewhere reuses it), or {@code null} if there are none, or
   * if the budget refused room for them ({@link #refused}).
   */
  ByteBuffer keep(ByteBuffer buffer) {
    if (!buffer.hasRemaining()) {
      release();
      return null;
    }
    if (buffer == SCRATCH.get()) {
      ByteBuffer own = ByteBuffer.allocate(readSize);
      if (!charge(own.capacity())) {
        buffer.clear().limit(0);
        return null;
      }
      own.put(buffer).flip();
      buffer.clear().limit(0);
      buffer = own;
    }
    pending = buffer;
    return buffer;
  }

  /**
   * {@code buffer} ready for more bytes after the unserved ones: the scratch buffer if there are
   * none, compacted, or grown when full; {@code null} if it is full and may not grow (as long as a
   * head may be, or the budget refused: see {@link #refused}).
   */
  ByteBuffer roomToRead(ByteBuffer buffer) {
    if (buffer == null) {
      return scratch();
    }
    if (buffer.position() > 0) {
      return buffer.compact().flip();
    }
    if (isFull(buffer)) {
      return canGrow(buffer) ? grow(buffer) : null;
    }
    return buffer;
  }

  /** Whether {@code buffer} is full, so that a read needs a larger one first. */
  boolean isFull(ByteBuffer buffer) {
    return buffer.limit() == buffer.capacity();
  }

  /** Whether {@code buffer} may grow: it is smaller than the longest head. */
  boolean canGrow(ByteBuffer buffer) {
    return buffer.capacity() < maxHead;
  }

  /** A buffer twice as large (at most the head limit) holding {@code buffer}'s bytes; {@code null} if refused. */
  ByteBuffer grow(ByteBuffer buffer) {
    int size = Math.min(maxHead, buffer.capacity() * 2);
    if (!charge(size - (buffer == pending ? buffer.capacity() : 0))) {
      return null;
    }
    ByteBuffer bigger = ByteBuffer.allocate(size).put(buffer).flip();
    if (buffer == SCRATCH.get()) {
      buffer.clear().limit(0);
    }
    pending = bigger;
    return bigger;
  }

  /**
   * Keeps what Jetty's connection read past the request it served, then what a {@code jetty.HangUpWatch}
   * read meanwhile, when Jetty hands the connection back.
   */
  void takeBack(ByteBuffer unserved, ByteBuffer carried) {
    int more = carried == null ? 0 : carried.remaining();
    pending = ByteBuffer.allocate(Math.max(readSize, unserved.remaining() + more));
    pending.put(unserved);
    if (carried != null) {
      pending.put(carried);
    }
    pending.flip();
  }

  /** Forgets the bytes kept (served, handed to Jetty, or the connection closed) and gives their room back. */
  void release() {
    pending = null;
    long was = charged;
    charged = 0;
    budget.giveBack(was);
  }

  private boolean charge(long bytes) {
    if (budget.tryBorrow(bytes)) {
      charged += bytes;
      return true;
    }
    refused = true;
    return false;
  }
}
