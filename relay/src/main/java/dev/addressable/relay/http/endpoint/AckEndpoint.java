package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.Call;
import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.http.wire.Fields;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.transport.Receivers;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /ack {client, channel, cursor}}: a receiver that cannot answer on its own connection
 * (SSE) confirms it has processed everything up to {@code cursor}. Long-polls confirm by polling
 * again; WebSockets by an {@code {"ack"}} frame. A cursor past what the channel handed out is
 * refused: it would confirm messages nobody read.
 */
public final class AckEndpoint {

  private final Store store;
  private final Receivers receivers;
  private final KeyRing keys;
  private final Later later;

  public AckEndpoint(Store store, Receivers receivers, KeyRing keys, Later later) {
    this.store = store;
    this.receivers = receivers;
    this.keys = keys;
    this.later = later;
  }

  /** The answer now, or {@code null} when it comes later through {@code exchange}. */
  public Answer handle(Call call, Fields fields, String callback, Exchange exchange) {
    Receiving receiving = Receiving.open(receivers, keys, fields.get("client"), fields.get("channel"),
        Requests.key(call, fields), fields.get("cursor"));
    FeedCursor cursor = receiving.cursor();
    if (cursor == null) { // the key was good: the channel is live again all the same
      return later.answer(store.open(receiving.channel()), exchange, callback, end -> {
        throw ApiException.badRequest("bad_cursor", "cursor is required: the last one the relay handed out");
      });
    }
    return later.answer(store.confirm(receiving.channel(), cursor), exchange, callback, done -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("acked", cursor.toString());
      return Answer.json(200, body, callback);
    });
  }
}
