package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.address.Directory;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.Call;
import dev.addressable.relay.http.wire.Fields;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.secret.KeyRing;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /ack {client, channel, cursor}}: a receiver that cannot answer on its own connection
 * (SSE) confirms it has processed everything up to {@code cursor}. Long-polls confirm by polling
 * again; WebSockets by an {@code {"ack"}} frame. A cursor past what the channel handed out is
 * refused: it would confirm messages nobody read.
 */
public final class AckEndpoint {

  private final Directory directory;
  private final KeyRing keys;

  public AckEndpoint(Directory directory, KeyRing keys) {
    this.directory = directory;
    this.keys = keys;
  }

  public Answer handle(Call call, Fields fields, String callback) {
    Receiving receiving = Receiving.open(directory, keys, fields.get("client"), fields.get("channel"),
        Requests.key(call, fields), fields.get("cursor"));
    FeedCursor cursor = receiving.cursor();
    if (cursor == null) {
      throw ApiException.badRequest("bad_cursor", "cursor is required: the last one the relay handed out");
    }
    acknowledge(receiving, cursor);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("acked", cursor.toString());
    return Answer.json(200, body, callback);
  }

  /** Confirms {@code cursor} on the receiver's channel, or refuses it as a bad cursor. */
  static void acknowledge(Receiving receiving, FeedCursor cursor) {
    try {
      receiving.channel().acknowledge(cursor);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_cursor", e.getMessage());
    }
  }
}
