package dev.addressable.relay.address;

import dev.addressable.relay.feed.Feed;
import dev.addressable.relay.inbox.Inbox;

/**
 * One tab of one client, as the memory store keeps it: its name, its feed, when a receiver was
 * last there, how many receivers hold it now (parked polls and open streams, by their leases),
 * and whether its receiver said it is leaving. Live from its connect until it has gone the idle
 * expiry unheld and unseen.
 */
public final class Channel {

  /**
   * For this long after a leave, a request of the channel's receiver other than a connect does not
   * end it: it is taken for one the leaving page sent before its leave, still on its way (an ack,
   * a poll). The store contract's second ({@code Store.leave}); the Redis store's scripts keep the
   * same ({@code LEAVE_SETTLE} in {@code prelude.lua}).
   */
  public static final long LEAVE_SETTLE_MILLIS = 1_000;

  private final String client;
  private final String name;
  private final Feed feed;
  private volatile long lastSeen;
  /** Receivers holding a lease on it; written under this channel's lock. */
  private volatile int holders;
  /** Its receiver said it is leaving ({@link #leave}) and none came back since ({@link #touch}). */
  private volatile boolean leaving;
  /** When it last said so. */
  private volatile long leftAt;
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

  /**
   * Marks the channel seen now: a receiver came by with its key. That ends a leave if it connected,
   * or came {@link #LEAVE_SETTLE_MILLIS} or more after the leave.
   */
  public void touch(long now, boolean connect) {
    lastSeen = now;
    if (leaving && (connect || now - leftAt >= LEAVE_SETTLE_MILLIS)) {
      leaving = false;
    }
  }

  /**
   * Its receiver said it is leaving: seen now, and from now on online only while held (no grace),
   * until a receiver comes back ({@link #touch}). Saying it again starts its settling second anew.
   *
   * @return whether it went offline by this (nobody holds it): a {@code channel.offline} is due
   */
  public synchronized boolean leave(long now) {
    leftAt = now;
    leaving = true;
    lastSeen = now;
    return wentOffline();
  }

  /** A receiver holds the channel from now on (a parked poll, an open stream): it does not idle out meanwhile. */
  public synchronized void hold() {
    holders++;
  }

  /**
   * A receiver that held it left: seen now.
   *
   * @return whether it went offline by this (it was the last receiver of a channel said to be
   *     leaving): a {@code channel.offline} is due
   */
  public synchronized boolean release(long now) {
    holders--;
    lastSeen = now;
    return wentOffline();
  }

  /** Under this channel's lock: a leaving channel nobody holds that was reported online is reported offline now. */
  private boolean wentOffline() {
    if (!leaving || holders > 0 || !reportedOnline) {
      return false;
    }
    reportedOnline = false;
    return true;
  }

  /** Whether a receiver holds it now; a lock-free read, for counts that may be a moment stale. */
  public boolean isHeld() {
    return holders > 0;
  }

  /**
   * Whether a receiver is here now (a parked poll or an open stream) or was within {@code graceMillis}
   * (a long-poll between two polls) and did not say it is leaving.
   */
  public boolean isOnline(long now, long graceMillis) {
    return holders > 0 || !leaving && now - lastSeen <= graceMillis;
  }

  /**
   * Flips the reported presence; answers whether it changed (so an event is due). A channel still
   * leaving is not reported online: a request of the leaving page is no return.
   */
  synchronized boolean report(boolean online) {
    if (reportedOnline == online || online && leaving) {
      return false;
    }
    reportedOnline = online;
    return true;
  }

  boolean isIdle(long now, long idleMillis) {
    return holders == 0 && now - lastSeen >= idleMillis;
  }
}
