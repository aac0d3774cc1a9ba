package dev.addressable.relay.http.transport;

import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.inbox.Message;
import java.util.List;

/**
 * The JSON the transports write, built from each message's shared JSON: a message (optionally with
 * the cursor after it), a missed marker, the topics a channel no longer follows. One place, so
 * every transport says the same thing.
 */
public final class Frames {

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
  static String unsubscribed(List<String> topics) {
    return "{" + unsubscribedField(topics).substring(1) + "}";
  }

  /** {@code ,"unsubscribed":["id",…]}, the same as a field of a larger object. */
  static String unsubscribedField(List<String> topics) {
    StringBuilder out = new StringBuilder(20 + 36 * topics.size()).append(",\"unsubscribed\":[");
    for (int i = 0; i < topics.size(); i++) {
      out.append(i > 0 ? ",\"" : "\"").append(topics.get(i)).append('"'); // ids are [A-Za-z0-9_-]
    }
    return out.append(']').toString();
  }

  /** {@code json}, an object, with {@code "channel"} first: a hub's frame ({@code channel} is [A-Za-z0-9_-]). */
  static String tagged(String channel, String json) {
    return "{\"channel\":\"" + channel + "\"," + json.substring(1);
  }

  /** {@code {"missed":true,"cursor":…}}: messages before the sources' next ones were lost. */
  static String missed(FeedCursor resumeAt) {
    return "{\"missed\":true,\"cursor\":\"" + resumeAt + "\"}";
  }
}
