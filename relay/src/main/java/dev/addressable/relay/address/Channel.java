package dev.addressable.relay.address;

import dev.addressable.relay.feed.Feed;
import dev.addressable.relay.inbox.Inbox;

/**
 * One tab of one client, as the memory store keeps it: its name, its feed, when a receiver was
 * last there, and how many receivers hold it now (parked polls and open streams, by their
 * leases). Live from its connect until it has gone the idle expiry unheld and unseen.
 */
public final class Channel {

  private final String client;
  private final String name;
  private final Feed feed;
  private volatile long lastSeen;
  /** Receivers holding a lease on it; written under this channel's lock. */
  private volatile int holders;
  private boolean reportedOnline;

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

  /** A receiver holds the channel from now on (a parked poll, an open stream): it does not idle out meanwhile. */
  public synchronized void hold() {
    holders++;
  }

  /** A receiver that held it left: seen now. */
  public synchronized void release(long now) {
    holders--;
    lastSeen = now;
  }

  /** Whether a receiver holds it now; a lock-free read, for counts that may be a moment stale. */
  public boolean isHeld() {
    return holders > 0;
  }

  /**
   * Whether a receiver is here now (a parked poll or an open stream) or was within {@code graceMillis}
   * (a long-poll between two polls).
   */
  public boolean isOnline(long now, long graceMillis) {
    return holders > 0 || now - lastSeen <= graceMillis;
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
    return holders == 0 && now - lastSeen >= idleMillis;
  }
}
