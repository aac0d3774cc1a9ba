package dev.addressable.relay.http;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.address.Directory;
import dev.addressable.relay.address.KeyRing;
import dev.addressable.relay.config.PollConfig;
import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.inbox.ReadResult;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.transport.LongPoll;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /poll}: the long-poll receiver, plain or JSONP. Parks without a thread until the
 * channel's inbox holds something after the cursor, or the timeout passes. A poll with a valid key
 * makes the channel live again if it had expired or the relay restarted; the old cursor then gets
 * {@code "missed":true}.
 */
final class PollEndpoint {

  private final Directory directory;
  private final KeyRing keys;
  private final LongPoll longPoll;
  private final PollConfig config;
  private final Metrics metrics;

  PollEndpoint(Directory directory, KeyRing keys, LongPoll longPoll, PollConfig config, Metrics metrics) {
    this.directory = directory;
    this.keys = keys;
    this.longPoll = longPoll;
    this.config = config;
    this.metrics = metrics;
  }

  void handle(Context ctx) {
    Fields fields = Fields.of(ctx);
    String client = Requests.client(fields.get("client"));
    String name = Requests.channel(fields.get("channel"));
    Requests.authorize(keys, client, Requests.key(ctx, fields));
    Cursor cursor = Requests.cursor(fields.get("cursor"));
    Duration timeout = Requests.timeout(fields.get("timeout"), config.defaultTimeout(), config.maxTimeout());

    Channel channel = directory.open(client, name);
    Cursor after = cursor != null ? cursor : channel.inbox().end();
    CompletableFuture<ReadResult> answer;
    try {
      answer = longPoll.poll(channel, after, timeout);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_cursor", e.getMessage());
    }
    if (answer.isDone()) {
      respond(ctx, answer.join());
    } else {
      ctx.future(() -> answer.thenAccept(result -> respond(ctx, result)));
    }
  }

  private void respond(Context ctx, ReadResult result) {
    metrics.pollAnswered();
    metrics.messagesDelivered(result.messages().size());
    Responder.json(ctx, 200, body(result));
  }

  static Map<String, Object> body(ReadResult result) {
    List<Map<String, Object>> messages = new ArrayList<>(result.messages().size());
    for (Message m : result.messages()) {
      messages.add(message(m));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("cursor", result.cursor().toString());
    body.put("messages", messages);
    if (result.missed()) {
      body.put("missed", true);
    }
    return body;
  }

  static Map<String, Object> message(Message m) {
    Map<String, Object> out = new LinkedHashMap<>(4);
    out.put("seq", m.seq());
    out.put("data", m.data());
    out.put("ts", m.ts());
    return out;
  }
}
