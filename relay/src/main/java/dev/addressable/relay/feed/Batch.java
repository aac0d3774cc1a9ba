package dev.addressable.relay.feed;

import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Message;
import java.util.List;

/**
 * What one read of a feed found: messages from the channel's inbox and its topics, each source in
 * its own order, and the cursor after all of them.
 *
 * @param missed whether messages after the cursor read from were already dropped from any source
 * @param unsubscribed topics the reader's cursor names that the channel does not follow (the relay
 *     restarted, or the channel expired): the receiver should subscribe to them again
 */
public record Batch(List<Message> messages, FeedCursor cursor, boolean missed, List<String> unsubscribed) {

  public Batch(List<Message> messages, FeedCursor cursor, boolean missed) {
    this(messages, cursor, missed, List.of());
  }

  /** Whether a waiting receiver should be answered with this at once. */
  public boolean isWorthAnswering() {
    return missed || !messages.isEmpty();
  }

  /**
   * The cursor after each message, for transports that hand one out per message (SSE, WebSocket):
   * element {@code i} has every source just before its first message after {@code i}; the last
   * is the batch's own cursor. Element {@code -1}'s equivalent is {@link #cursorBefore()}.
   */
  public FeedCursor[] cursorsAfterEach() {
    FeedCursor[] after = new FeedCursor[messages.size()];
    FeedCursor at = cursor;
    for (int k = messages.size() - 1; k >= 0; k--) {
      after[k] = at;
      at = rewind(at, messages.get(k));
    }
    return after;
  }

  /** Where a missed marker leaves the reader: every source just before its first message here. */
  public FeedCursor cursorBefore() {
    FeedCursor at = cursor;
    for (int k = messages.size() - 1; k >= 0; k--) {
      at = rewind(at, messages.get(k));
    }
    return at;
  }

  private FeedCursor rewind(FeedCursor at, Message m) {
    if (m.topic() == null) {
      return at.withOwn(new Cursor(cursor.own().epoch(), m.seq() - 1));
    }
    return at.with(m.topic(), new Cursor(cursor.topics().get(m.topic()).epoch(), m.seq() - 1));
  }
}
