package dev.addressable.relay.http.jetty;

import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.memory.Fatal;
import dev.addressable.relay.memory.MemoryBudget;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a whole request body without a thread waiting for it: each chunk is taken when Jetty says
 * one is there ({@link Request#demand}), so a client trickling one byte a second costs a buffer
 * and a timer, not a worker. The body must arrive within a deadline and fit a size limit and the
 * memory budget; otherwise the request is refused (408, 413, 503 {@code memory_full}) and the
 * connection closed, since the rest of the body is never read.
 *
 * <p>The bytes stay charged to the budget while they are read and while {@code then} serves the
 * request; what the request keeps of them (a message) is charged on its own.
 */
public final class BodyReader implements Runnable {

  /**
   * A refused body no larger than this is read to its end and thrown away before the refusal is
   * answered, so that a client still writing it reads the answer instead of a reset (as nginx's
   * lingering close does). Larger ones are cut off.
   */
  static final long DISCARD_LIMIT = 1 << 20;

  private final Request request;
  private final long maxBytes;
  private final MemoryBudget budget;
  private final BiConsumer<byte[], ApiException> then;
  private final AtomicBoolean done = new AtomicBoolean();
  private byte[] bytes;
  private int size;
  /** Bytes read in all, kept or thrown away. */
  private long read;
  /** The refusal to answer once the rest of the body is thrown away, or {@code null}. */
  private ApiException discardingFor;
  private long charged;
  private Scheduler.Task deadline;

  private BodyReader(Request request, long maxBytes, MemoryBudget budget, BiConsumer<byte[], ApiException> then) {
    this.request = request;
    this.maxBytes = maxBytes;
    this.budget = budget;
    this.then = then;
  }

  /**
   * Reads {@code request}'s body; {@code then} gets the bytes, or the refusal, once, on some thread.
   *
   * @param maxBytes the largest body accepted (413 above it)
   * @param timeoutMillis how long the whole body may take to arrive (408 after it)
   */
  static void read(Request request, long maxBytes, long timeoutMillis, MemoryBudget budget,
      BiConsumer<byte[], ApiException> then) {
    BodyReader reader = new BodyReader(request, maxBytes, budget, then);
    long declared = request.getLength();
    if (declared > DISCARD_LIMIT) {
      reader.refuse(tooLarge(maxBytes));
      return;
    }
    Scheduler scheduler = request.getComponents().getScheduler();
    reader.deadline = scheduler.schedule(reader::timedOut, timeoutMillis, TimeUnit.MILLISECONDS);
    if (declared > maxBytes) {
      reader.discardingFor = tooLarge(maxBytes);
    } else {
      reader.grow(declared > 0 ? (int) declared : 0); // with no room, it reads on to throw the body away
    }
    reader.run();
  }

  /** Gives the body's bytes back to the memory budget; idempotent. */
  private synchronized void release() {
    long was = charged;
    charged = 0;
    budget.giveBack(was);
  }

  /** Takes what is there; asks to be called again when more comes. */
  @Override
  public void run() {
    try {
      read();
    } catch (RuntimeException | Error e) {
      Fatal.exitIfFatal(e); // Jetty would log and go on: the relay ends instead (memory/Fatal)
      refuse(ApiException.of(e));
    }
  }

  private void read() {
    while (!done.get()) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        refuse(ApiException.badRequest("bad_request", "the request body could not be read (bad framing, or the client left)"));
        return;
      }
      ByteBuffer data = chunk.getByteBuffer();
      int length = data.remaining();
      read += length;
      if (discardingFor != null) {
        boolean last = chunk.isLast();
        chunk.release();
        if (last || read > DISCARD_LIMIT) {
          refuse(discardingFor);
          return;
        }
        continue;
      }
      if (size + (long) length > maxBytes) {
        chunk.release();
        discard(tooLarge(maxBytes));
        continue;
      }
      if (size + length > bytes.length && !grow(size + length)) {
        chunk.release();
        continue; // discarding now
      }
      data.get(bytes, size, length);
      size += length;
      boolean last = chunk.isLast();
      chunk.release();
      if (last) {
        if (done.compareAndSet(false, true)) {
          cancelDeadline();
          try {
            then.accept(size == bytes.length ? bytes : Arrays.copyOf(bytes, size), null);
          } finally {
            release();
          }
        }
        return;
      }
    }
  }

  /** Makes room for {@code capacity} bytes, charging the budget; refuses the request if it has no room. */
  private boolean grow(int capacity) {
    int next = bytes == null ? capacity : Math.max(capacity, (int) Math.min(maxBytes, Math.max(8192, 2L * bytes.length)));
    long more = next - (bytes == null ? 0 : bytes.length);
    if (!budget.tryBorrow(more)) {
      discard(ApiException.retrySpread("memory_full", "the relay's memory budget (--max-memory) has no room for this "
          + "request's " + next + "-byte body now; retry shortly", 1, 5));
      return false;
    }
    synchronized (this) {
      charged += more;
    }
    bytes = bytes == null ? new byte[next] : Arrays.copyOf(bytes, next);
    return true;
  }

  /** Keeps nothing more: reads the rest of the body, up to {@link #DISCARD_LIMIT}, then refuses with {@code why}. */
  private void discard(ApiException why) {
    discardingFor = why;
    bytes = new byte[0];
    size = 0;
    release();
  }

  private void timedOut() {
    refuse(new ApiException(408, "request_timeout", "the request body did not arrive in time (--body-timeout): "
        + size + " bytes came"));
  }

  private void refuse(ApiException why) {
    if (done.compareAndSet(false, true)) {
      cancelDeadline();
      release();
      then.accept(null, why);
    }
  }

  private void cancelDeadline() {
    Scheduler.Task task = deadline;
    if (task != null) {
      task.cancel();
    }
  }

  private static ApiException tooLarge(long maxBytes) {
    return new ApiException(413, "message_too_large", "the request body is larger than the " + maxBytes
        + " bytes the relay accepts; send messages of at most --max-message-bytes");
  }
}
