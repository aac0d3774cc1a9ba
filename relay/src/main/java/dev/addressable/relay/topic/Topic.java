package dev.addressable.relay.topic;

import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Inbox;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A broadcast address, as the memory store keeps it: one log of its own that every subscribed
 * channel reads through its feed (a publish is stored once, not copied into each subscriber's
 * inbox), how many channels follow it, and how far any of them confirmed it. Thread-safe.
 */
public final class Topic {

  private final String id;
  private final Inbox log;
  private final AtomicInteger subscribers = new AtomicInteger();
  /** How far any subscriber confirmed; written under this topic's lock. */
  private volatile Cursor confirmed;
  private volatile long lastUsed;

  Topic(String id, Inbox log, long now) {
    this.id = id;
    this.log = log;
    this.confirmed = new Cursor(log.epoch(), 0);
    this.lastUsed = now;
  }

  public String id() {
    return id;
  }

  public Inbox log() {
    return log;
  }

  /** A channel started following this topic ({@link dev.addressable.relay.feed.Feed#subscribe}). */
  public void subscribed() {
    subscribers.incrementAndGet();
  }

  /** A channel stopped following it. */
  public void unsubscribed() {
    subscribers.decrementAndGet();
  }

  /** How many channels follow it. */
  public int subscribers() {
    return subscribers.get();
  }

  /**
   * A subscriber processed everything before {@code position}.
   *
   * @return whether this raised how far the topic is confirmed
   */
  public boolean confirm(Cursor position) {
    if (position.seq() <= confirmed.seq() || !position.epoch().equals(log.epoch())) {
      return false;
    }
    synchronized (this) {
      if (position.seq() <= confirmed.seq()) {
        return false;
      }
      confirmed = position;
      return true;
    }
  }

  /** How far any subscriber confirmed (seq 0: nothing yet). */
  public Cursor confirmed() {
    return confirmed;
  }

  void touch(long now) {
    lastUsed = now;
  }

  long lastUsed() {
    return lastUsed;
  }
}
