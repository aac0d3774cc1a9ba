package dev.addressable.relay.config;

import java.time.Duration;

/**
 * Bounds of inboxes and of the channel directory.
 *
 * @param maxMessages messages kept per inbox; the oldest is dropped past it
 * @param maxBytes UTF-8 bytes kept per inbox; the oldest messages are dropped past it
 * @param maxAge how long a message is kept (a sender's {@code ttl} may only shorten it)
 * @param idleExpiry how long a channel lives without a poll or an open connection
 */
public record InboxConfig(
    int maxMessages,
    long maxBytes,
    Duration maxAge,
    Duration idleExpiry,
    int maxMessageBytes,
    int maxChannels,
    int maxChannelsPerClient) {

  public InboxConfig withIdleExpiry(Duration idleExpiry) {
    return new InboxConfig(maxMessages, maxBytes, maxAge, idleExpiry, maxMessageBytes, maxChannels, maxChannelsPerClient);
  }

  public InboxConfig withMaxMessages(int maxMessages) {
    return new InboxConfig(maxMessages, maxBytes, maxAge, idleExpiry, maxMessageBytes, maxChannels, maxChannelsPerClient);
  }
}
