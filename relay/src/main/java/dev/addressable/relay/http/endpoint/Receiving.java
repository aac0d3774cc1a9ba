package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.address.Directory;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.secret.KeyRing;

/**
 * A receiver's request, checked the same way by every transport: the client id, the channel
 * name, the key, and the cursor. Opening it makes the channel live (again, after a restart or an
 * idle expiry): a valid key proves the channel is the caller's.
 *
 * @param cursor the cursor the receiver sent, or {@code null}
 */
public record Receiving(Channel channel, FeedCursor cursor) {

  public static Receiving open(Directory directory, KeyRing keys, String client, String channel, String key, String cursor) {
    String checkedClient = Requests.client(client);
    String checkedChannel = Requests.channel(channel);
    Channel known = directory.find(checkedClient, checkedChannel);
    boolean proven = known != null && known.isProvenKey(key);
    if (!proven) {
      Requests.authorize(keys, checkedClient, key); // an HMAC: once per channel, not per poll
    }
    FeedCursor parsed = Requests.cursor(cursor);
    Channel opened = directory.open(checkedClient, checkedChannel);
    if (!proven) {
      opened.keyProven(key);
    }
    return new Receiving(opened, parsed);
  }

  /** Where reading starts: the receiver's cursor, or the end of the feed for a new receiver. */
  public FeedCursor after() {
    return cursor != null ? cursor : channel.feed().end();
  }

  /**
   * For streams, which read later on another thread: checks the cursor against the feed now, so a
   * bad one is refused before the stream starts, and confirms receipt of what it covers.
   */
  public FeedCursor startStream() {
    FeedCursor after = after();
    try {
      channel.feed().read(after);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_cursor", e.getMessage());
    }
    if (cursor != null) {
      channel.feed().confirm(cursor);
    }
    return after;
  }
}
