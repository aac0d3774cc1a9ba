package dev.addressable.relay.inbox;

import java.util.List;

/**
 * What a read of an inbox found.
 *
 * @param messages in sequence order, possibly only the first part of a long backlog
 * @param cursor where the next read should start
 * @param missed whether messages after the cursor read from were already dropped (overflow,
 *     age, ttl, or an inbox made anew), so the receiver lost some
 */
public record ReadResult(List<Message> messages, Cursor cursor, boolean missed) {

  /** Whether a waiting receiver should be answered with this at once. */
  public boolean isWorthAnswering() {
    return missed || !messages.isEmpty();
  }
}
