package dev.addressable.relay.topic;

import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Inbox;
import dev.addressable.relay.inbox.Receipts;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A broadcast address: one log of its own that every subscribed channel reads through its feed. A
 * publish is stored once, not copied into each subscriber's inbox. Thread-safe.
 */
public final class Topic {

  private final String id;
  private final Inbox log;
  private final Receipts receipts;
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private volatile long lastUsed;

  Topic(String id, Inbox log, Receipts receipts, long now) {
    this.id = id;
    this.log = log;
    this.receipts = receipts;
    this.lastUsed = now;
  }

  public String id() {
    return id;
  }

  public Inbox log() {
    return log;
  }

  /** Who reads a topic's log: told after each publish, so that its parked receivers read it. */
  public interface Subscriber {

    /** Whether a receiver waits on this subscriber now (may be a moment stale). */
    boolean isWaiting();

    /** Answers the receivers waiting on this subscriber; returns how many were answered. */
    int wake();
  }

  /** The subscribers following this topic; they add and remove themselves. */
  public Set<Subscriber> subscribers() {
    return subscribers;
  }

  public Receipts receipts() {
    return receipts;
  }

  /** A subscriber processed everything before {@code position}. */
  public void confirm(Cursor position) {
    if (position.epoch().equals(log.epoch())) {
      receipts.confirm(position.seq());
    }
  }

  void touch(long now) {
    lastUsed = now;
  }

  long lastUsed() {
    return lastUsed;
  }
}
