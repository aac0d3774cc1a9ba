package dev.addressable.relay.http;

import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.inbox.Message;

/**
 * The JSON the streaming transports write, built from each message's shared JSON: a message
 * (optionally with the cursor after it), and a missed marker. One place, so SSE and WebSocket say
 * the same thing.
 */
final class Frames {

  private Frames() {}

  /** {@code {"seq","data","ts"[,"topic"]}}, plus {@code "cursor"} when given (WebSocket). */
  static String message(Message m, FeedCursor cursorAfter) {
    if (cursorAfter == null) {
      return m.json();
    }
    StringBuilder out = m.appendJson(new StringBuilder(128));
    out.setLength(out.length() - 1); // the closing brace
    return out.append(",\"cursor\":\"").append(cursorAfter).append("\"}").toString();
  }

  /** {@code {"unsubscribed":["id",…]}}: topics the reader's cursor named that the channel does not follow. */
  static String unsubscribed(java.util.List<String> topics) {
    StringBuilder out = new StringBuilder(48 * topics.size() + 20).append('{');
    PollEndpoint.appendUnsubscribed(out, topics);
    out.deleteCharAt(1); // the leading comma
    return out.append('}').toString();
  }

  /** {@code {"missed":true,"cursor":…}}: messages before the sources' next ones were lost. */
  static String missed(FeedCursor resumeAt) {
    return "{\"missed\":true,\"cursor\":\"" + resumeAt + "\"}";
  }
}
