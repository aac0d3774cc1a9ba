package dev.addressable.relay.address;

import dev.addressable.relay.feed.Feed;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.inbox.Inbox;

/**
 * One tab of one client: its name and its inbox. Live from its connect until it has gone the
 * idle expiry without a poll or an open connection.
 */
public final class Channel {

  private final String client;
  private final String name;
  private final Feed feed;
  private volatile long lastSeen;
  private volatile int openConnections;
  private volatile boolean reportedOnline;
  /** The client's key as last proven on this channel, so each poll need not recompute its HMAC. */
  private volatile String provenKey;

  Channel(String client, String name, Feed feed, long now) {
    this.client = client;
    this.name = name;
    this.feed = feed;
    this.lastSeen = now;
  }

  public String client() {
    return client;
  }

  public String name() {
    return name;
  }

  /** The channel's own messages. */
  public Inbox inbox() {
    return feed.inbox();
  }

  /** What the channel receives: its inbox and the topics it follows. */
  public Feed feed() {
    return feed;
  }

  /** When a receiver last came by, epoch milliseconds. */
  public long lastSeen() {
    return lastSeen;
  }

  /** Marks the channel seen now: a receiver came by or left. */
  public void touch(long now) {
    lastSeen = now;
  }

  /**
   * Whether {@code key} is the key already proven for this channel's client; compared in constant
   * time. {@code false} means "not known", not "wrong": check it with {@link dev.addressable.relay.secret.KeyRing#verify}.
   */
  public boolean isProvenKey(String key) {
    String proven = provenKey;
    if (proven == null || key == null || proven.length() != key.length()) {
      return false;
    }
    int difference = 0;
    for (int i = 0; i < proven.length(); i++) {
      difference |= proven.charAt(i) ^ key.charAt(i);
    }
    return difference == 0;
  }

  /** Remembers a key that {@link dev.addressable.relay.secret.KeyRing#verify} accepted for this channel's client. */
  public void keyProven(String key) {
    provenKey = key;
  }

  /** A streaming receiver (SSE, WebSocket) holds it open; it does not idle out meanwhile. */
  public synchronized void connectionOpened() {
    openConnections++;
  }

  public synchronized void connectionClosed(long now) {
    openConnections--;
    lastSeen = now;
  }

  /**
   * A receiver confirmed it processed everything up to {@code cursor}.
   *
   * @throws IllegalArgumentException if the cursor is past what the channel handed out
   */
  public void acknowledge(FeedCursor cursor) {
    feed.acknowledge(cursor);
  }

  /**
   * Whether a receiver is here now (a parked poll or an open stream) or was within {@code graceMillis}
   * (a long-poll between two polls).
   */
  public boolean isOnline(long now, long graceMillis) {
    return openConnections > 0 || feed.isWaiting() || now - lastSeen <= graceMillis;
  }

  /** Flips the reported presence; answers whether it changed (so an event is due). */
  synchronized boolean report(boolean online) {
    if (reportedOnline == online) {
      return false;
    }
    reportedOnline = online;
    return true;
  }

  boolean isIdle(long now, long idleMillis) {
    return openConnections == 0 && feed.waiterCount() == 0 && now - lastSeen >= idleMillis;
  }
}
