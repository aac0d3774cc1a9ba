package dev.addressable.relay.http;

import dev.addressable.relay.address.Directory;
import dev.addressable.relay.address.KeyRing;
import dev.addressable.relay.feed.FeedCursor;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /ack {client, channel, cursor}}: a receiver that cannot answer on its own connection
 * (SSE) confirms it has processed everything up to {@code cursor}. Long-polls confirm by polling
 * again; WebSockets by an {@code {"ack"}} frame.
 */
final class AckEndpoint {

  private final Directory directory;
  private final KeyRing keys;

  AckEndpoint(Directory directory, KeyRing keys) {
    this.directory = directory;
    this.keys = keys;
  }

  void handle(Context ctx) {
    Fields fields = Fields.of(ctx);
    Receiving receiving = Receiving.open(directory, keys, fields.get("client"), fields.get("channel"),
        Requests.key(ctx, fields), fields.get("cursor"));
    FeedCursor cursor = receiving.cursor();
    if (cursor == null) {
      throw ApiException.badRequest("bad_cursor", "cursor is required: the last one the relay handed out");
    }
    receiving.channel().acknowledge(cursor);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("acked", cursor.toString());
    Responder.json(ctx, 200, body);
  }
}
