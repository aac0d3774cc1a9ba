package dev.addressable.relay.inbox;

import dev.addressable.relay.address.Ids;
import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.parking.Parked;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One channel's messages: an ordered log with a sequence number per message, bounded by count,
 * bytes and age, and the receivers parked on it.
 *
 * <p>Reading never removes. When the log is full the oldest messages are dropped; a receiver whose
 * cursor points before what is left gets {@code missed}. A message also leaves when its age (or
 * the sender's shorter {@code ttl}) runs out.
 *
 * <p>Thread-safe. The lock guards the log and the waiting list only; receivers are answered after
 * it is released, so no I/O happens under it.
 */
public final class Inbox {

  /** Most messages one read answers; the receiver reads again at once for the rest. */
  public static final int MAX_MESSAGES_PER_READ = 500;

  /** Most message bytes one read answers (at least one message is always answered). */
  public static final long MAX_BYTES_PER_READ = 512 * 1024;

  private final String epoch = Ids.randomToken(8);
  private final int maxMessages;
  private final long maxBytes;
  private final long maxAgeMillis;
  private final LongSupplier clock;
  private final InboxEvents events;

  private final MessageRing log = new MessageRing();
  private final List<Waiter> waiters = new ArrayList<>(2);
  private long lastSeq;
  private long bytes;

  public Inbox(InboxConfig config, LongSupplier clock, InboxEvents events) {
    this.maxMessages = config.maxMessages();
    this.maxBytes = config.maxBytes();
    this.maxAgeMillis = config.maxAge().toMillis();
    this.clock = clock;
    this.events = events;
  }

  /** The outcome of an append. */
  public record Appended(long seq, int woken) {}

  /**
   * Adds a message and wakes every parked receiver.
   *
   * @param ttlMillis how long to keep it; 0 or more than the inbox's age limit means the limit
   * @return its sequence number and how many parked receivers were answered with it
   */
  public Appended append(String data, int dataBytes, long ttlMillis) {
    List<Waiter> toWake;
    long seq;
    synchronized (this) {
      long now = clock.getAsLong();
      long life = ttlMillis > 0 ? Math.min(ttlMillis, maxAgeMillis) : maxAgeMillis;
      seq = ++lastSeq;
      log.addLast(new Message(seq, data, now, now + life, dataBytes));
      bytes += dataBytes;
      trim(now);
      if (waiters.isEmpty()) {
        return new Appended(seq, 0);
      }
      toWake = new ArrayList<>(waiters);
      waiters.clear();
    }
    int woken = 0;
    for (Waiter waiter : toWake) {
      if (waiter.parked.complete(() -> read(waiter.after))) {
        woken++;
      }
    }
    return new Appended(seq, woken);
  }

  /**
   * What came after {@code after}. A cursor of another epoch reads from the start of this inbox,
   * marked {@code missed}.
   *
   * @throws IllegalArgumentException if the cursor is of this epoch but past its last message
   */
  public synchronized ReadResult read(Cursor after) {
    long now = clock.getAsLong();
    trim(now);
    boolean missed = false;
    long from;
    if (!after.epoch().equals(epoch)) {
      missed = true;
      from = 0;
    } else if (after.seq() > lastSeq) {
      throw new IllegalArgumentException("cursor is ahead of this inbox: it was not handed out here");
    } else {
      from = after.seq();
    }
    long firstSeq = log.isEmpty() ? lastSeq + 1 : log.first().seq();
    if (from + 1 < firstSeq) {
      missed = true;
    }
    long last = Math.max(from, firstSeq - 1);
    List<Message> out = new ArrayList<>(Math.min(log.size(), 8));
    long size = 0;
    for (int i = (int) Math.max(0, from + 1 - firstSeq); i < log.size(); i++) {
      Message m = log.get(i);
      if (m.expiredAt(now)) {
        missed = true; // its own ttl ran out before newer ones; it is gone for this reader
        last = m.seq();
        continue;
      }
      if (!out.isEmpty() && (out.size() >= MAX_MESSAGES_PER_READ || size + m.bytes() > MAX_BYTES_PER_READ)) {
        break;
      }
      out.add(m);
      size += m.bytes();
      last = m.seq();
    }
    return new ReadResult(out, new Cursor(epoch, last), missed);
  }

  /**
   * Answers at once if anything is there after {@code after} (or messages were missed); else
   * parks {@code parked} on this inbox until the next append.
   *
   * @return the answer, or {@code null} if parked (then {@code parked}'s future answers)
   * @throws TooManyWaitersException if {@code maxWaiters} receivers are parked here already
   */
  public synchronized ReadResult readOrPark(Cursor after, Parked<ReadResult> parked, int maxWaiters) {
    ReadResult now = read(after);
    if (now.isWorthAnswering() || parked.isFinished()) {
      return now.isWorthAnswering() ? now : null;
    }
    if (waiters.size() >= maxWaiters) {
      throw new TooManyWaitersException(maxWaiters);
    }
    waiters.add(new Waiter(parked, after));
    return null;
  }

  /** Takes {@code parked} off the waiting list, if it is on it. */
  public synchronized void unpark(Parked<ReadResult> parked) {
    waiters.removeIf(w -> w.parked == parked);
  }

  public synchronized int waiterCount() {
    return waiters.size();
  }

  /** A cursor after the newest message: a new receiver starts here. */
  public synchronized Cursor end() {
    return new Cursor(epoch, lastSeq);
  }

  public String epoch() {
    return epoch;
  }

  /** Drops what has expired at the head; the relay calls this periodically for idle inboxes. */
  public synchronized void expire() {
    trim(clock.getAsLong());
  }

  private void trim(long now) {
    int expired = 0;
    int evicted = 0;
    while (!log.isEmpty()) {
      Message head = log.first();
      if (log.size() > maxMessages || bytes > maxBytes) {
        evicted++;
      } else if (head.expiredAt(now)) {
        expired++;
      } else {
        break;
      }
      log.removeFirst();
      bytes -= head.bytes();
    }
    if (expired > 0) {
      events.expired(expired);
    }
    if (evicted > 0) {
      events.evicted(evicted);
    }
  }

  private record Waiter(Parked<ReadResult> parked, Cursor after) {}
}
