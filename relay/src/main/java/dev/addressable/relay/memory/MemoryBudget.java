package dev.addressable.relay.memory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bytes of heap the relay lets itself hold for what senders and receivers hand it, in two
 * parts of one limit ({@code --max-memory}):
 *
 * <ul>
 *   <li><b>held</b> (three quarters): what the relay keeps: stored messages and their encodings,
 *       channels, topics, subscriptions, event variables, parked requests. A send that would pass
 *       it is refused with {@code 503 memory_full} ({@link #tryReserve}), and nothing is kept.
 *       Parked requests are charged without a check ({@link #reserve}): a full relay must still
 *       let receivers wait (they are bounded by {@code --max-parked}).
 *   <li><b>in flight</b> (one quarter): bytes on their way in or out: request bodies being read,
 *       heads not yet whole, and answers a slow reader has not taken yet ({@link #tryBorrow}). It
 *       is apart from what is held, so a relay full of messages still hands them out: receivers
 *       drain it. Past it, the request or the reader is turned away to come back later, with
 *       nothing lost (its messages stay in the inbox).
 * </ul>
 *
 * <p>The figures are estimates of retained heap (object headers and fields as HotSpot lays them
 * out with compressed pointers), close enough that a budget below the heap makes
 * {@link OutOfMemoryError} unreachable by requests within the documented limits. Thread-safe and
 * lock-free.
 */
public final class MemoryBudget {

  /** A stored message's {@code Message} object and its slot in a log, per log it is in. */
  public static final int MESSAGE_ENTRY = 32;
  /** A message body's objects, beside its encoded bytes. */
  public static final int MESSAGE_BODY = 64;
  /** A live channel: its objects, its inbox, its feed and its place in the directory (measured: 580–700). */
  public static final int CHANNEL = 700;
  /** A topic, its log and receipts. */
  public static final int TOPIC = 600;
  /** A channel's subscription to a topic. */
  public static final int SUBSCRIPTION = 160;
  /** An event variable, beside its name. */
  public static final int VARIABLE = 200;
  /** A parked request's waiter, timer entry and listener. */
  public static final int PARKED = 256;

  private final long limit;
  private final long heldLimit;
  private final long inFlightLimit;
  private final AtomicLong used = new AtomicLong();
  /**
   * What {@link #reserve} charged: a parked request each, on every poll, so kept apart from
   * {@link #used} in striped cells that polls on different threads do not contend for.
   */
  private final LongAdder forced = new LongAdder();
  private final AtomicLong inFlight = new AtomicLong();
  private final LongAdder refusals = new LongAdder();

  /** @param limit bytes in all, held and in flight; at least 4 */
  public MemoryBudget(long limit) {
    if (limit < 4) {
      throw new IllegalArgumentException("limit < 4: " + limit);
    }
    this.limit = limit;
    this.inFlightLimit = limit / 4;
    this.heldLimit = limit - inFlightLimit;
  }

  /** A budget that never refuses: for tests and tools that do not measure memory. */
  public static MemoryBudget unlimited() {
    return new MemoryBudget(Long.MAX_VALUE);
  }

  /**
   * Charges {@code bytes} if they fit under the limit.
   *
   * @return whether they were charged; {@code false} counts a refusal
   */
  public boolean tryReserve(long bytes) {
    return tryAdd(used, heldLimit - forced.sum(), bytes);
  }

  /**
   * Charges {@code bytes} in flight if they fit its part of the limit.
   *
   * @return whether they were charged; {@code false} counts a refusal
   */
  public boolean tryBorrow(long bytes) {
    return tryAdd(inFlight, inFlightLimit, bytes);
  }

  /** Gives back what {@link #tryBorrow} took. */
  public void giveBack(long bytes) {
    inFlight.addAndGet(-bytes);
  }

  private boolean tryAdd(AtomicLong counter, long max, long bytes) {
    while (true) {
      long now = counter.get();
      if (bytes > 0 && now + bytes > max) {
        refusals.increment();
        return false;
      }
      if (counter.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  /**
   * Charges {@code bytes} or throws.
   *
   * @throws MemoryFullException if they do not fit
   */
  public void reserveOrThrow(long bytes, String what) {
    if (!tryReserve(bytes)) {
      throw new MemoryFullException(what, limit);
    }
  }

  /** Charges {@code bytes} whether they fit or not (see the class comment for when); give them back with {@link #unreserve}. */
  public void reserve(long bytes) {
    forced.add(bytes);
  }

  /** Gives back what {@link #reserve} took. */
  public void unreserve(long bytes) {
    forced.add(-bytes);
  }

  /** Gives back what an earlier charge took. */
  public void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** Bytes held now; may pass {@link #heldLimit()} by what {@link #reserve} forced in. */
  public long used() {
    return used.get() + forced.sum();
  }

  /** Bytes in flight now. */
  public long inFlight() {
    return inFlight.get();
  }

  /** The whole limit, held and in flight. */
  public long limit() {
    return limit;
  }

  /** The part of the limit for what is held. */
  public long heldLimit() {
    return heldLimit;
  }

  /** Charges refused since the start. */
  public long refusals() {
    return refusals.sum();
  }
}
