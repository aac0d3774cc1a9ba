package dev.addressable.relay.http.wire;

import dev.addressable.relay.feed.FeedCursor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of a hub receive (docs/protocol.md, "Hub receive"): {@code hub=<term>} and the list of
 * channels it carries with their cursors, {@code channels=tA:E.41,tB:E.7~T.F.3} (a channel without a
 * cursor, {@code tC} or {@code tC:}, starts at its end). A cursor never holds {@code ,} or {@code :}.
 */
public final class HubRequest {

  /** Terms are whole numbers the browser library takes from a counter or the clock: at most 2^53, as JavaScript counts. */
  static final long MAX_TERM = 1L << 53;

  private HubRequest() {}

  /** Whether the request asks for a hub receive. */
  public static boolean isHub(Fields fields) {
    return fields.get("hub") != null;
  }

  /**
   * The hub's term.
   *
   * @throws ApiException 400 {@code bad_hub} for anything but a positive whole number, or a request
   *     that also names one {@code channel} (a hub carries its channels in {@code channels})
   */
  public static long term(Fields fields) {
    String value = fields.get("hub");
    if (fields.get("channel") != null) {
      throw ApiException.badRequest("bad_hub",
          "a hub receive lists its channels in channels=name:cursor,…; it takes no channel= (drop hub= to read one channel)");
    }
    long term = value == null || value.isEmpty() || value.length() > 16 ? -1 : Requests.wholeNumber(value);
    if (term < 1 || term > MAX_TERM) {
      throw ApiException.badRequest("bad_hub",
          "hub must be the leader's term, a whole number from 1 to 2^53: " + Requests.abbreviate(value));
    }
    return term;
  }

  /**
   * The channels and their cursors, in the order given ({@code null} cursor: from the end).
   *
   * @param max the most channels one hub carries ({@code --max-channels-per-client})
   * @throws ApiException 400 {@code bad_hub} for a malformed list or a channel named twice,
   *     {@code bad_channel} or {@code bad_cursor} for a bad part, 429 {@code too_many_channels} past {@code max}
   */
  public static Map<String, FeedCursor> channels(String list, int max) {
    Map<String, FeedCursor> channels = new LinkedHashMap<>();
    if (list == null || list.isEmpty()) {
      return channels;
    }
    int from = 0;
    while (from <= list.length()) {
      int comma = list.indexOf(',', from);
      int end = comma < 0 ? list.length() : comma;
      String part = list.substring(from, end);
      int colon = part.indexOf(':');
      String name = Requests.channel(colon < 0 ? part : part.substring(0, colon));
      FeedCursor cursor = colon < 0 ? null : Requests.cursor(part.substring(colon + 1));
      if (channels.containsKey(name)) {
        throw ApiException.badRequest("bad_hub", "channels names " + name + " twice");
      }
      if (channels.size() >= max) {
        throw ApiException.retryLater(429, "too_many_channels",
            "a hub carries at most " + max + " channels (--max-channels-per-client)", 30);
      }
      channels.put(name, cursor);
      if (comma < 0) {
        break;
      }
      from = comma + 1;
    }
    return channels;
  }
}
