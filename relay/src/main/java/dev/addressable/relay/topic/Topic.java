package dev.addressable.relay.topic;

import dev.addressable.relay.feed.Feed;
import dev.addressable.relay.feed.Receipts;
import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Inbox;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A broadcast address: one log of its own that every subscribed channel reads through its
 * {@link Feed}. A publish is stored once, not copied into each subscriber's inbox. Thread-safe.
 */
public final class Topic {

  private final String id;
  private final Inbox log;
  private final Receipts receipts;
  private final Set<Feed> subscribers = ConcurrentHashMap.newKeySet();
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

  /** The feeds following this topic; feeds add and remove themselves. */
  public Set<Feed> subscribers() {
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
