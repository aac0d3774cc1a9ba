package dev.addressable.relay.inbox;

/** What inboxes report as they drop messages; implemented by the metrics. Must not block. */
public interface InboxEvents {

  /** Messages left because their age or ttl ran out. */
  void expired(int count);

  /** Oldest messages pushed out because the inbox was full (count or bytes). */
  void evicted(int count);

  /**
   * A message left before any reader got it ({@code reason} is {@code "expired"} or
   * {@code "overflow"}). Called under the log's lock: must only hand off, never block.
   */
  default void droppedUnread(Message message, String reason) {}

  InboxEvents NONE = new InboxEvents() {
    @Override public void expired(int count) {}
    @Override public void evicted(int count) {}
  };
}
