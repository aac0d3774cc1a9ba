package dev.addressable.relay.address;

import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Inbox;

/**
 * One tab of one client: its name and its inbox. Live from its connect until it has gone the
 * idle expiry without a poll or an open connection.
 */
public final class Channel {

  private final String client;
  private final String name;
  private final Inbox inbox;
  private volatile long lastSeen;
  private volatile int openConnections;
  private volatile Cursor acknowledged;

  Channel(String client, String name, Inbox inbox, long now) {
    this.client = client;
    this.name = name;
    this.inbox = inbox;
    this.lastSeen = now;
  }

  public String client() {
    return client;
  }

  public String name() {
    return name;
  }

  public Inbox inbox() {
    return inbox;
  }

  /** When a receiver last came by, epoch milliseconds. */
  public long lastSeen() {
    return lastSeen;
  }

  /** Marks the channel seen now: a receiver came by or left. */
  public void touch(long now) {
    lastSeen = now;
  }

  /** A streaming receiver (SSE, WebSocket) holds it open; it does not idle out meanwhile. */
  public synchronized void connectionOpened() {
    openConnections++;
  }

  public synchronized void connectionClosed(long now) {
    openConnections--;
    lastSeen = now;
  }

  /** A receiver confirmed it processed everything up to {@code cursor}. */
  public void acknowledge(Cursor cursor) {
    acknowledged = cursor;
  }

  /** The last confirmed position, or {@code null}. */
  public Cursor acknowledged() {
    return acknowledged;
  }

  boolean isIdle(long now, long idleMillis) {
    return openConnections == 0 && inbox.waiterCount() == 0 && now - lastSeen >= idleMillis;
  }
}
