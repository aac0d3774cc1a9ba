package dev.addressable.relay.inbox;

import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.text.Base64Url;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * An ordered log of messages with a sequence number per message, bounded by count, bytes and age:
 * a channel's inbox, or a topic's log, as the memory store keeps them. Who waits on it is the
 * node's business ({@code transport.Receivers}), not the log's.
 *
 * <p>Bytes are counted as stored: each message's JSON encoding ({@link Message#bytes()}).
 *
 * <p>Reading never removes. When the log is full the oldest messages are dropped; a reader whose
 * cursor points before what is left gets {@code missed}. A message also leaves when its age (or
 * the sender's shorter {@code ttl}) runs out. Messages dropped before any reader got them are
 * reported to {@link InboxEvents#droppedUnread}.
 *
 * <p>Thread-safe; the lock guards the log only and is never held during I/O.
 */
public final class Inbox {

  /** Most messages one read answers; the receiver reads again at once for the rest. */
  public static final int MAX_MESSAGES_PER_READ = 500;

  /** Most message bytes one read answers (at least one message is always answered). */
  public static final long MAX_BYTES_PER_READ = 512 * 1024;

  private final String epoch = Base64Url.unique(8);
  private final String topic;
  private final int maxMessages;
  private final long maxBytes;
  private final long maxAgeMillis;
  private final LongSupplier clock;
  private final InboxEvents events;

  private final MessageRing log = new MessageRing();
  private long lastSeq;
  private long readThrough;
  private long bytes;
  /**
   * When the oldest message leaves, or {@link Long#MAX_VALUE} for an empty log. Kept here so that
   * the check on every read and append touches no message: in a relay of thousands of inboxes
   * the oldest ones are rarely in the CPU's cache (that check was a tenth of a poll's time).
   */
  private long headExpiresAt = Long.MAX_VALUE;
  private boolean closed;

  public Inbox(InboxConfig config, LongSupplier clock, InboxEvents events) {
    this(config, clock, events, null);
  }

  /** A log whose messages carry {@code topic} (a topic's log), or {@code null} (a channel's inbox). */
  public Inbox(InboxConfig config, LongSupplier clock, InboxEvents events, String topic) {
    this.topic = topic;
    this.maxMessages = config.maxMessages();
    this.maxBytes = config.maxBytes();
    this.maxAgeMillis = config.maxAge().toMillis();
    this.clock = clock;
    this.events = events;
  }

  /**
   * Adds a message outside the memory budget (for tests and tools). Waking whoever waits for it is
   * the caller's next step.
   *
   * @param ttlMillis how long to keep it; 0 or more than the log's age limit means the limit
   * @return its sequence number
   */
  public long append(String data, long ttlMillis) {
    return append(body(data, ttlMillis));
  }

  /**
   * The body {@link #append(Message.Body)} stores for {@code data}, encoded once: other logs of the
   * same settings may share it (a send to a client-wide address stores one body in each of its
   * inboxes). Charge it with {@link Message.Body#admit} before appending it.
   */
  public Message.Body body(String data, long ttlMillis) {
    long now = clock.getAsLong();
    long life = ttlMillis > 0 ? Math.min(ttlMillis, maxAgeMillis) : maxAgeMillis;
    return new Message.Body(data, now, now + life, topic);
  }

  /**
   * Adds a message with this body, admitted for this log. Waking whoever waits for it is the
   * caller's next step. An inbox already {@link #close closed} (its channel expired a moment ago)
   * drops it at once and reports it as dropped unread, so the loss is never silent.
   *
   * @return its sequence number
   */
  public synchronized long append(Message.Body body) {
    long seq = ++lastSeq;
    Message message = new Message(seq, body);
    if (closed) {
      events.droppedUnread(message, "expired");
      body.leave();
      return seq;
    }
    log.addLast(message);
    if (log.size() == 1) {
      headExpiresAt = message.expiresAt();
    }
    bytes += message.bytes();
    trim(message.ts()); // the body's clock reading: one per send, not one more per inbox
    return seq;
  }

  public ReadResult read(Cursor after) {
    return read(after, MAX_MESSAGES_PER_READ);
  }

  /**
   * What came after {@code after}. A cursor of another epoch reads from the start of this inbox,
   * marked {@code missed}.
   *
   * @throws IllegalArgumentException if the cursor is of this epoch but past its last message
   */
  public synchronized ReadResult read(Cursor after, int limit) {
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
    long firstSeq = lastSeq - log.size() + 1; // the log holds lastSeq's predecessors without gaps
    if (from + 1 < firstSeq) {
      missed = true;
    }
    long last = Math.max(from, firstSeq - 1);
    int start = (int) Math.max(0, from + 1 - firstSeq);
    List<Message> out = new ArrayList<>(Math.max(0, Math.min(log.size() - start, limit)));
    long size = 0;
    for (int i = start; i < log.size(); i++) {
      Message m = log.get(i);
      if (m.expiredAt(now)) {
        missed = true; // its own ttl ran out before newer ones; it is gone for this reader
        last = m.seq();
        continue;
      }
      if (out.size() >= limit || !out.isEmpty() && size + m.bytes() > MAX_BYTES_PER_READ) {
        break;
      }
      out.add(m);
      size += m.bytes();
      last = m.seq();
    }
    if (last > readThrough && !out.isEmpty()) {
      readThrough = last;
    }
    return new ReadResult(out, new Cursor(epoch, last), missed);
  }

  /** Whether {@code cursor} is of this log's epoch but past its newest message (never handed out). */
  public synchronized boolean isAhead(Cursor cursor) {
    return cursor.epoch().equals(epoch) && cursor.seq() > lastSeq;
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

  /**
   * Drops every message, reporting those no reader got, and gives their memory back: the log's
   * channel or topic is being forgotten. Messages appended later are dropped the same way.
   */
  public synchronized void close() {
    closed = true;
    while (!log.isEmpty()) {
      Message head = log.removeFirst();
      bytes -= head.bytes();
      if (head.seq() > readThrough) {
        events.droppedUnread(head, "expired");
      }
      head.body().leave();
    }
    headExpiresAt = Long.MAX_VALUE;
  }

  /** Stored bytes of the messages held now. */
  public synchronized long storedBytes() {
    return bytes;
  }

  private void trim(long now) {
    int expired = 0;
    int evicted = 0;
    while (!log.isEmpty()) {
      // Past the byte limit the newest message stays, however large: it was accepted.
      boolean overflow = log.size() > maxMessages || bytes > maxBytes && log.size() > 1;
      if (overflow) {
        evicted++;
      } else if (now >= headExpiresAt) {
        expired++;
      } else {
        break;
      }
      Message head = log.removeFirst();
      headExpiresAt = log.isEmpty() ? Long.MAX_VALUE : log.first().expiresAt();
      bytes -= head.bytes();
      if (head.seq() > readThrough) {
        events.droppedUnread(head, overflow ? "overflow" : "expired");
      }
      head.body().leave();
    }
    if (expired > 0) {
      events.expired(expired);
    }
    if (evicted > 0) {
      events.evicted(evicted);
    }
  }
}
