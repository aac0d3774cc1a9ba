package dev.addressable.relay.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.address.Directory;
import dev.addressable.relay.address.KeyRing;
import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.transport.StreamPump;
import dev.addressable.relay.transport.StreamSink;
import dev.addressable.relay.transport.Streams;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.Session;

/**
 * {@code GET /ws}: the WebSocket transport. Out: one JSON text frame per message
 * ({@code {"seq","data","ts","cursor"}}), {@code {"missed":true,"cursor"}} when messages were
 * lost, {@code {"heartbeat":ts}} every heartbeat interval without a message. In:
 * {@code {"to":"<address>","message":"…","id"?}} sends without a second connection (answered by
 * {@code {"reply":id,"status":202,…}} or an error object), and {@code {"ack":"<cursor>"}}
 * confirms what was processed.
 *
 * <p>A browser cannot see why an upgrade failed, so a refused connection is accepted, told
 * {@code {"error":code,"message":…}} in a frame, and closed with code 4000 + HTTP status.
 */
final class WebSocketEndpoint {

  private final Directory directory;
  private final KeyRing keys;
  private final Streams streams;
  private final SendEndpoint sends;
  private final Metrics metrics;
  private final Map<Session, StreamPump> pumps = new ConcurrentHashMap<>();

  WebSocketEndpoint(Directory directory, KeyRing keys, Streams streams, SendEndpoint sends, Metrics metrics) {
    this.directory = directory;
    this.keys = keys;
    this.streams = streams;
    this.sends = sends;
    this.metrics = metrics;
  }

  void configure(WsConfig ws) {
    ws.onConnect(this::open);
    ws.onMessage(this::message);
    ws.onClose(this::close);
    ws.onError(ctx -> stop(ctx.session));
  }

  private void open(WsConnectContext ctx) {
    try {
      Receiving receiving = Receiving.open(directory, keys, ctx.queryParam("client"), ctx.queryParam("channel"),
          Requests.key(ctx.header("Authorization"), ctx.queryParam("key")), ctx.queryParam("cursor"));
      pumps.put(ctx.session, streams.open(receiving.channel(), receiving.startStream(), new Sink(ctx)));
    } catch (ApiException e) {
      refuse(ctx, e);
    } catch (RuntimeException e) {
      refuse(ctx, HttpServer.toApiException(e));
    }
  }

  private void message(WsMessageContext ctx) {
    JsonNode frame;
    try {
      frame = Json.MAPPER.readTree(ctx.message());
    } catch (Exception e) {
      reply(ctx, null, ApiException.badRequest("bad_json", "frames must be JSON objects: {\"to\",\"message\"} or {\"ack\"}"));
      return;
    }
    JsonNode id = frame == null ? null : frame.get("id");
    if (frame == null || !frame.isObject()) {
      reply(ctx, id, ApiException.badRequest("bad_json", "frames must be JSON objects: {\"to\",\"message\"} or {\"ack\"}"));
    } else if (frame.hasNonNull("ack")) {
      acknowledge(ctx, frame.get("ack").asText());
    } else if (frame.hasNonNull("to")) {
      try {
        JsonNode message = frame.get("message");
        if (message == null || message.isNull()) {
          throw ApiException.badRequest("missing_message", "a send frame needs \"message\"");
        }
        String text = message.isTextual() ? message.asText() : message.toString();
        JsonNode ttl = frame.get("ttl");
        Map<String, Object> answer = sends.sendTo(frame.get("to").asText(), text, ttl == null ? null : ttl.asText());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reply", id);
        out.put("status", 202);
        out.putAll(answer);
        ctx.send(Json.write(out));
      } catch (ApiException e) {
        reply(ctx, id, e);
      } catch (RuntimeException e) {
        reply(ctx, id, HttpServer.toApiException(e));
      }
    } else {
      reply(ctx, id, ApiException.badRequest("bad_request", "unknown frame: expected {\"to\",\"message\"} or {\"ack\"}"));
    }
  }

  private void acknowledge(WsContext ctx, String cursorText) {
    StreamPump pump = pumps.get(ctx.session);
    FeedCursor cursor;
    try {
      cursor = FeedCursor.parse(cursorText);
    } catch (IllegalArgumentException e) {
      reply(ctx, null, ApiException.badRequest("bad_cursor", "ack must carry a cursor the relay sent"));
      return;
    }
    if (pump != null) {
      pump.channel().acknowledge(cursor);
    }
  }

  /**
   * Closes every WebSocket with 1001 (going away), so browsers reconnect at once to the next
   * relay, and waits up to {@code millis} for the closes to complete.
   */
  void goingAway(long millis) {
    for (Session session : pumps.keySet()) {
      session.close(1001, "shutting_down", org.eclipse.jetty.websocket.api.Callback.NOOP);
    }
    long deadline = System.nanoTime() + millis * 1_000_000L;
    try {
      while (!pumps.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void close(WsCloseContext ctx) {
    stop(ctx.session);
  }

  private void stop(Session session) {
    StreamPump pump = pumps.remove(session);
    if (pump != null) {
      pump.stop();
    }
  }

  private void refuse(WsContext ctx, ApiException e) {
    metrics.error();
    reply(ctx, null, e);
    ctx.closeSession(4000 + e.status(), e.code());
  }

  private static void reply(WsContext ctx, JsonNode id, ApiException e) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (id != null) {
      out.put("reply", id);
    }
    out.put("error", e.code());
    out.put("message", e.getMessage());
    out.put("status", e.status());
    ctx.send(Json.write(out));
  }

  /** Sends frames to one session; Jetty queues each frame whole, so frames never interleave. */
  private final class Sink implements StreamSink {
    private final WsContext ctx;

    Sink(WsContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public boolean deliver(Batch batch) {
      if (!ctx.session.isOpen()) {
        return false;
      }
      if (batch.missed()) {
        ctx.send(Frames.missed(batch.cursorBefore()));
      }
      FeedCursor[] after = batch.cursorsAfterEach();
      for (int i = 0; i < after.length; i++) {
        ctx.send(Frames.message(batch.messages().get(i), after[i]));
      }
      metrics.messagesDelivered(batch.messages().size());
      return ctx.session.isOpen();
    }

    @Override
    public boolean heartbeat() {
      if (!ctx.session.isOpen()) {
        return false;
      }
      ctx.send("{\"heartbeat\":" + System.currentTimeMillis() + "}");
      return true;
    }

    @Override
    public void close(String code, String reason) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("error", code);
      out.put("message", reason);
      ctx.send(Json.write(out));
      ctx.closeSession("shutting_down".equals(code) ? 1001 : 1013, code);
    }
  }
}
