package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Lease;
import dev.addressable.relay.store.Stages;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.transport.Receivers;
import dev.addressable.relay.transport.Room;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A receiver's request, checked the same way by every transport: the client id, the channel
 * name, the key, and the cursor. The key is checked here (an HMAC, or the key this node proved
 * for the channel last time); the store operation that follows makes the channel live again if
 * it expired or the relay restarted.
 *
 * @param cursor the cursor the receiver sent, or {@code null}
 */
public record Receiving(ChannelId channel, FeedCursor cursor) {

  public static Receiving open(Receivers receivers, KeyRing keys, String client, String channel, String key,
      String cursor) {
    ChannelId id = new ChannelId(Requests.client(client), Requests.channel(channel));
    Room known = receivers.find(id);
    boolean proven = known != null && known.isProvenKey(key);
    if (!proven) {
      Requests.authorize(keys, id.client(), key); // an HMAC: once per channel, not per poll
    }
    FeedCursor parsed = Requests.cursor(cursor);
    if (!proven) {
      receivers.room(id).keyProven(key);
    }
    return new Receiving(id, parsed);
  }

  /**
   * For streams, which read later on another thread: reads once now, so a bad cursor is refused
   * before the stream starts, confirms receipt of what the cursor covers, and takes the stream's
   * lease ({@link Lease#STREAM}), which the stream gives back when it ends.
   *
   * @param executor where the rest runs if the store answers later
   * @return where the stream starts: the receiver's cursor, or the end for a new receiver
   */
  public CompletionStage<FeedCursor> startStream(Store store, Executor executor) {
    return Stages.thenApply(store.readAndLease(channel, cursor, cursor != null, Lease.STREAM), executor,
        batch -> cursor != null ? cursor : batch.cursor());
  }
}
