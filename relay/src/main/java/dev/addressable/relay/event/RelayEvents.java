package dev.addressable.relay.event;

import dev.addressable.relay.inbox.InboxEvents;
import dev.addressable.relay.inbox.Message;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What happens inside the relay that its adapters want to hear of: the webhooks tell the app
 * (presence, unread drops), the metrics count. The core calls these on its own threads, some under
 * a log's lock: an implementation must only hand off or count, never block. Every method does
 * nothing unless overridden.
 */
public interface RelayEvents {

  /** A channel has a receiver again, after it counted as offline (or was new). */
  default void online(String client, String channel, long ts) {}

  /** A channel has had no receiver for the grace period. */
  default void offline(String client, String channel, long ts) {}

  /**
   * A message left its log before any receiver got it ({@code reason} is {@code "expired"} or
   * {@code "overflow"}).
   *
   * @param client the channel's client, or {@code null} for a topic's message
   * @param channel the channel's name, or {@code null} for a topic's message
   * @param topic the topic's id, or {@code null} for a channel's own message
   */
  default void droppedUnread(String client, String channel, String topic, Message message, String reason, long ts) {}

  /** A send stored {@code count} messages (one per inbox it reached; a publish counts one). */
  default void sent(int count) {}

  /** A topic publish reached {@code subscribers} channels. */
  default void published(int subscribers) {}

  /** An event variable was set. */
  default void variableSet() {}

  /** Messages left because their age or ttl ran out, read or not. */
  default void expired(int count) {}

  /** Oldest messages pushed out because a log was full (count or bytes). */
  default void evicted(int count) {}

  RelayEvents NONE = new RelayEvents() {};

  /** Tells each of {@code listeners}, in order. */
  static RelayEvents all(RelayEvents... listeners) {
    List<RelayEvents> each = List.of(listeners);
    return new RelayEvents() {
      @Override public void online(String client, String channel, long ts) {
        each.forEach(l -> l.online(client, channel, ts));
      }

      @Override public void offline(String client, String channel, long ts) {
        each.forEach(l -> l.offline(client, channel, ts));
      }

      @Override public void droppedUnread(String client, String channel, String topic, Message m, String reason, long ts) {
        each.forEach(l -> l.droppedUnread(client, channel, topic, m, reason, ts));
      }

      @Override public void sent(int count) {
        each.forEach(l -> l.sent(count));
      }

      @Override public void published(int subscribers) {
        each.forEach(l -> l.published(subscribers));
      }

      @Override public void variableSet() {
        each.forEach(RelayEvents::variableSet);
      }

      @Override public void expired(int count) {
        each.forEach(l -> l.expired(count));
      }

      @Override public void evicted(int count) {
        each.forEach(l -> l.evicted(count));
      }
    };
  }

  /**
   * The events of one log, as the inbox reports them, told here with where the log belongs: a
   * channel's inbox ({@code topic} null) or a topic's log ({@code client}, {@code channel} null).
   */
  static InboxEvents ofLog(RelayEvents events, String client, String channel, String topic, LongSupplier clock) {
    return new InboxEvents() {
      @Override public void expired(int count) {
        events.expired(count);
      }

      @Override public void evicted(int count) {
        events.evicted(count);
      }

      @Override public void droppedUnread(Message message, String reason) {
        events.droppedUnread(client, channel, topic, message, reason, clock.getAsLong());
      }
    };
  }
}
