package dev.addressable.relay.feed;

import dev.addressable.relay.inbox.Cursor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A receiver's one opaque cursor: its position in the channel's own inbox and in each topic the
 * channel follows. On the wire: {@code <epoch>.<seq>} for the inbox, then
 * {@code ~<topic>.<epoch>.<seq>} per topic. A topic missing from the cursor is read from where the
 * subscription began; a topic the channel no longer follows is ignored.
 */
public record FeedCursor(Cursor own, Map<String, Cursor> topics) {

  private static final Pattern TOPIC_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");
  static final int MAX_TOPICS = 256;

  public FeedCursor {
    topics = topics.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(topics));
  }

  public static FeedCursor of(Cursor own) {
    return new FeedCursor(own, Map.of());
  }

  /**
   * Reads a cursor from its wire form.
   *
   * @throws IllegalArgumentException if {@code text} is not one the relay hands out
   */
  public static FeedCursor parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("no cursor");
    }
    if (text.indexOf('~') < 0) {
      return of(Cursor.parse(text)); // no topics: the common case, without the split
    }
    String[] parts = text.split("~", -1);
    if (parts.length - 1 > MAX_TOPICS) {
      throw new IllegalArgumentException("cursor names more than " + MAX_TOPICS + " topics");
    }
    Cursor own = Cursor.parse(parts[0]);
    Map<String, Cursor> topics = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int dot = parts[i].indexOf('.');
      String topic = dot < 0 ? "" : parts[i].substring(0, dot);
      if (!TOPIC_ID.matcher(topic).matches() || topics.containsKey(topic)) {
        throw new IllegalArgumentException("not a cursor: bad topic part");
      }
      topics.put(topic, Cursor.parse(parts[i].substring(dot + 1)));
    }
    return new FeedCursor(own, topics);
  }

  /** This cursor with {@code topic} at {@code position}. */
  public FeedCursor with(String topic, Cursor position) {
    Map<String, Cursor> next = new LinkedHashMap<>(topics);
    next.put(topic, position);
    return new FeedCursor(own, next);
  }

  public FeedCursor withOwn(Cursor position) {
    return new FeedCursor(position, topics);
  }

  @Override
  public String toString() {
    if (topics.isEmpty()) {
      return own.toString();
    }
    StringBuilder out = new StringBuilder(own.toString());
    topics.forEach((topic, cursor) -> out.append('~').append(topic).append('.').append(cursor));
    return out.toString();
  }
}
