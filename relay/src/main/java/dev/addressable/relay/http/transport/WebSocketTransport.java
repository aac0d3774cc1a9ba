package dev.addressable.relay.http.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.http.endpoint.Receiving;
import dev.addressable.relay.http.endpoint.SendEndpoint;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.Call;
import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.http.wire.Fields;
import dev.addressable.relay.http.wire.HubRequest;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.http.wire.Route;
import dev.addressable.relay.hub.Hubs;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.ClientId;
import dev.addressable.relay.store.Lease;
import dev.addressable.relay.store.Stages;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.text.Json;
import dev.addressable.relay.transport.HubStream;
import dev.addressable.relay.transport.Receivers;
import dev.addressable.relay.transport.StreamPump;
import dev.addressable.relay.transport.StreamSink;
import dev.addressable.relay.transport.Streams;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * {@code GET /ws}: the WebSocket transport, on Jetty's own WebSocket API (no servlet session, no
 * cookie). Out: one JSON text frame per message ({@code {"seq","data","ts","cursor"}}),
 * {@code {"missed":true,"cursor"}} when messages were lost, {@code {"unsubscribed":[…]}} for topics
 * the channel no longer follows, {@code {"heartbeat":ts}} every heartbeat interval without a
 * message. In: {@code {"to":"<address>","message":"…","id"?}} sends without a second connection
 * (answered by {@code {"reply":id,"status":202,…}} or an error object), and
 * {@code {"ack":"<cursor>"}} confirms what was processed.
 *
 * <p>A browser cannot see why an upgrade failed, so a refused receiver is accepted, told
 * {@code {"error":code,"message":…}} in a frame, and closed with code 4000 + HTTP status. A request
 * that is not a WebSocket handshake at all is answered over HTTP ({@link #handshakeError}).
 *
 * <p>Frames out are queued by Jetty without a thread waiting; the next batch is read only once
 * the last one's frames left ({@link StreamPump}), and their bytes are charged to the memory
 * budget meanwhile. A budget with no room closes the socket with 1013 (try again later): the
 * receiver comes back with its cursor and loses nothing.
 */
public final class WebSocketTransport implements Transport {

  private static final String FRAMES = "{\"to\",\"message\"}, {\"ack\"}, or on a hub's socket {\"join\"} and {\"leave\"}";
  private static final String BAD_FRAME = "frames must be JSON objects: " + FRAMES;

  private final Store store;
  private final Receivers receivers;
  private final KeyRing keys;
  private final Streams streams;
  private final SendEndpoint sends;
  private final Metrics metrics;
  private final MemoryBudget budget;
  private final Executor executor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Hubs hubs;
  private final int maxChannels;

  /** @param executor where work goes that a store's later answer brings (the relay's pool) */
  public WebSocketTransport(Store store, Receivers receivers, KeyRing keys, Streams streams, SendEndpoint sends,
      Metrics metrics, MemoryBudget budget, Executor executor, Hubs hubs, int maxChannels) {
    this.hubs = hubs;
    this.maxChannels = maxChannels;
    this.store = store;
    this.receivers = receivers;
    this.executor = executor;
    this.keys = keys;
    this.streams = streams;
    this.sends = sends;
    this.metrics = metrics;
    this.budget = budget;
  }

  @Override
  public String name() {
    return "websocket";
  }

  @Override
  public boolean serves(Route route, String callback) {
    return route.kind() == Route.Kind.WEBSOCKET;
  }

  /** A handshake the server could upgrade never gets here: this answers why it was refused. */
  @Override
  public Answer receive(Call call, Fields fields, String callback, Exchange exchange) {
    ApiException refused = handshakeError(call);
    throw refused != null ? refused : ApiException.badRequest("bad_request", "the WebSocket handshake was refused");
  }

  /**
   * Why {@code call} is not a WebSocket handshake this relay takes (RFC 6455: a GET with
   * {@code Upgrade: websocket}, a {@code Sec-WebSocket-Key} of 16 bytes, version 13), or
   * {@code null} if it is one.
   */
  public static ApiException handshakeError(Call call) {
    String upgrade = call.header("Upgrade");
    if (upgrade == null || !upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
      return new ApiException(426, "upgrade_required",
          "/ws is the WebSocket transport: connect with a WebSocket (Upgrade: websocket), or use /events or /poll");
    }
    if (!call.is("GET")) {
      return ApiException.methodNotAllowed("GET");
    }
    if (!"13".equals(call.header("Sec-WebSocket-Version"))) {
      return new ApiException(426, "upgrade_required", "the relay speaks WebSocket version 13 (Sec-WebSocket-Version: 13)");
    }
    String key = call.header("Sec-WebSocket-Key");
    try {
      if (key == null || Base64.getDecoder().decode(key.trim()).length != 16) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      return ApiException.badRequest("bad_request", "Sec-WebSocket-Key must be 16 random bytes in base64");
    }
    return null;
  }

  /** The endpoint Jetty calls for one upgraded connection. */
  public Session.Listener socket(Fields query, String authorization) {
    return new Socket(query, authorization);
  }

  /**
   * Closes every WebSocket with 1001 (going away), so browsers reconnect at once to the next
   * relay, and waits up to {@code millis} for the closes to complete.
   */
  public void goingAway(long millis) {
    for (Socket socket : open) {
      socket.session.close(1001, "shutting_down", Callback.NOOP);
    }
    long deadline = System.nanoTime() + millis * 1_000_000L;
    try {
      while (!open.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One WebSocket: a receiver of its channel, and a sender of frames in. Public only because Jetty
   * calls its listener methods through method handles.
   */
  public final class Socket implements Session.Listener.AutoDemanding, StreamSink {

    private final Fields query;
    private final String authorization;
    private volatile Session session;
    private volatile StreamPump pump;
    private volatile HubStream hub;

    Socket(Fields query, String authorization) {
      this.query = query;
      this.authorization = authorization;
    }

    @Override
    public void onWebSocketOpen(Session session) {
      this.session = session;
      open.add(this);
      if (HubRequest.isHub(query)) {
        openHub();
        return;
      }
      Receiving receiving;
      try {
        receiving = Receiving.open(receivers, keys, query.get("client"), query.get("channel"),
            Requests.key(authorization, query.get("key")), query.get("cursor"));
      } catch (RuntimeException e) {
        refuse(e);
        return;
      }
      Stages.whenDone(receiving.startStream(store, executor), executor, (after, failure) -> {
        if (failure != null) {
          refuse(failure);
        } else if (!session.isOpen()) {
          store.release(receiving.channel(), Lease.STREAM); // gone before the stream began
        } else {
          pump = streams.open(receiving.channel(), after, this);
        }
      });
    }

    /** A hub's socket: the client's key once, then the channels listed in the URL join at once. */
    private void openHub() {
      try {
        long term = HubRequest.term(query);
        String client = Requests.client(query.get("client"));
        Requests.authorize(keys, client, Requests.key(authorization, query.get("key")));
        Map<String, FeedCursor> channels = HubRequest.channels(query.get("channels"), maxChannels);
        HubStream opened = streams.openHub(new ClientId(client), term, hubs, maxChannels, new HubFrames());
        hub = opened;
        if (!session.isOpen()) {
          opened.stop();
          return;
        }
        channels.forEach(opened::join);
      } catch (RuntimeException e) {
        refuse(e);
      }
    }

    private void refuse(Throwable e) {
      ApiException refused = ApiException.of(e);
      metrics.error();
      reply(null, refused);
      session.close(4000 + refused.status(), refused.code(), Callback.NOOP);
    }

    @Override
    public void onWebSocketText(String text) {
      JsonNode frame;
      try {
        frame = Json.MAPPER.readTree(text);
      } catch (Exception e) {
        reply(null, ApiException.badRequest("bad_json", BAD_FRAME));
        return;
      }
      JsonNode id = frame == null ? null : frame.get("id");
      if (frame == null || !frame.isObject()) {
        reply(id, ApiException.badRequest("bad_json", BAD_FRAME));
      } else if (frame.hasNonNull("ack")) {
        acknowledge(frame.get("ack").asText(), frame.get("channel"));
      } else if (frame.hasNonNull("join") || frame.hasNonNull("leave")) {
        joinOrLeave(frame, id);
      } else if (frame.hasNonNull("to")) {
        send(frame, id);
      } else {
        reply(id, ApiException.badRequest("bad_request", "unknown frame: expected " + FRAMES));
      }
    }

    private void send(JsonNode frame, JsonNode id) {
      try {
        JsonNode message = frame.get("message");
        if (message == null || message.isNull()) {
          throw ApiException.badRequest("missing_message", "a send frame needs \"message\"");
        }
        String text = message.isTextual() ? message.asText() : message.toString();
        JsonNode ttl = frame.get("ttl");
        JsonNode mid = frame.get("mid");
        Stages.whenDone(sends.sendTo(frame.get("to").asText(), text, ttl == null ? null : ttl.asText(),
            mid == null || mid.isNull() ? null : mid.asText()), executor,
            (answer, refused) -> {
              if (refused != null) {
                reply(id, ApiException.of(refused));
                return;
              }
              // {"reply":id,"status":202, and the answer's own fields}
              session.sendText("{\"reply\":" + Json.write(id) + ",\"status\":202," + answer.substring(1), Callback.NOOP);
            });
      } catch (RuntimeException e) {
        reply(id, ApiException.of(e));
      }
    }

    /** {@code {"join":name,"cursor"?}} or {@code {"leave":name}} on a hub's socket. */
    private void joinOrLeave(JsonNode frame, JsonNode id) {
      HubStream carrying = hub;
      if (carrying == null) {
        reply(id, ApiException.badRequest("bad_request", "join and leave are for a hub's socket (opened with hub=<term>)"));
        return;
      }
      try {
        boolean join = frame.hasNonNull("join");
        String name = Requests.channel((join ? frame.get("join") : frame.get("leave")).asText());
        if (join) {
          JsonNode cursor = frame.get("cursor");
          carrying.join(name, Requests.cursor(cursor == null || cursor.isNull() ? null : cursor.asText()));
        } else {
          carrying.leave(name);
        }
      } catch (RuntimeException e) {
        reply(id, ApiException.of(e));
      }
    }

    private void acknowledge(String cursorText, JsonNode channelName) {
      HubStream carrying = hub;
      ChannelId channel;
      if (carrying != null) {
        try {
          channel = carrying.client().channel(
              Requests.channel(channelName == null || channelName.isNull() ? null : channelName.asText()));
        } catch (ApiException e) {
          reply(null, e);
          return;
        }
      } else {
        StreamPump receiving = pump;
        channel = receiving == null ? null : receiving.channel();
      }
      FeedCursor cursor;
      try {
        cursor = FeedCursor.parse(cursorText);
      } catch (IllegalArgumentException e) {
        reply(null, ApiException.badRequest("bad_cursor", "ack must carry a cursor the relay sent"));
        return;
      }
      if (channel != null) {
        Stages.whenDone(store.confirm(channel, cursor), executor, (done, refused) -> {
          if (refused != null) {
            reply(null, ApiException.of(refused));
          }
        });
      }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
      stop();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
      stop();
    }

    private void stop() {
      open.remove(this);
      StreamPump receiving = pump;
      if (receiving != null) {
        receiving.stop();
      }
      HubStream carrying = hub;
      if (carrying != null) {
        carrying.stop();
      }
    }

    private void reply(JsonNode id, ApiException e) {
      Map<String, Object> out = new LinkedHashMap<>();
      if (id != null) {
        out.put("reply", id);
      }
      out.put("error", e.code());
      out.put("message", e.getMessage());
      out.put("status", e.status());
      session.sendText(Json.write(out), Callback.NOOP);
    }

    @Override
    public void deliver(Batch batch, Consumer<Boolean> then) {
      sendAll(frames(batch, null), then);
    }

    /** One batch's frames, each tagged with {@code channel} on a hub's socket ({@code null}: a channel's own). */
    private List<String> frames(Batch batch, String channel) {
      List<String> frames = new ArrayList<>(batch.messages().size() + 2);
      if (batch.missed()) {
        frames.add(Frames.missed(batch.cursorBefore()));
      }
      if (!batch.unsubscribed().isEmpty()) {
        frames.add(Frames.unsubscribed(batch.unsubscribed()));
      }
      FeedCursor[] after = batch.cursorsAfterEach();
      for (int i = 0; i < after.length; i++) {
        frames.add(Frames.message(batch.messages().get(i), after[i]));
      }
      if (channel != null) {
        frames.replaceAll(frame -> Frames.tagged(channel, frame));
      }
      metrics.messagesDelivered(batch.messages().size());
      metrics.delivered(name(), batch.messages());
      return frames;
    }

    @Override
    public void heartbeat(long now, Consumer<Boolean> then) {
      sendAll(List.of("{\"heartbeat\":" + now + "}"), then);
    }

    /** Sends the frames of one batch, charged to the memory budget until the last of them left. */
    private void sendAll(List<String> frames, Consumer<Boolean> then) {
      if (!session.isOpen() || frames.isEmpty()) {
        then.accept(session.isOpen());
        return;
      }
      long bytes = 0;
      for (String frame : frames) {
        bytes += 16 + 3L * frame.length(); // Jetty's frame, and the text as UTF-8 at most
      }
      if (!budget.tryBorrow(bytes)) {
        session.close(1013, "memory_full", Callback.NOOP);
        then.accept(false);
        return;
      }
      long charged = bytes;
      AtomicInteger left = new AtomicInteger(frames.size());
      Callback each = Callback.from(() -> {
        if (left.decrementAndGet() == 0) {
          budget.giveBack(charged);
          then.accept(session.isOpen());
        }
      }, failure -> {
        if (left.getAndSet(-1) > 0) {
          budget.giveBack(charged);
          then.accept(false);
        }
      });
      for (String frame : frames) {
        session.sendText(frame, each);
      }
    }

    @Override
    public void close(String code, String reason) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("error", code);
      out.put("message", reason);
      session.sendText(Json.write(out), Callback.NOOP);
      session.close(closeCode(code), code, Callback.NOOP);
    }

    /** A hub's frames: each tagged with its channel, {@code {"channel":"tA",…}}. */
    private final class HubFrames implements HubStream.Sink {

      @Override
      public void deliver(String channel, Batch batch, Consumer<Boolean> then) {
        sendAll(frames(batch, channel), then);
      }

      @Override
      public void heartbeat(long now, Consumer<Boolean> then) {
        Socket.this.heartbeat(now, then);
      }

      @Override
      public void refuse(String channel, String code, String reason) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("channel", channel);
        out.put("error", code);
        out.put("message", reason);
        session.sendText(Json.write(out), Callback.NOOP);
      }

      @Override
      public void close(String code, String reason) {
        Socket.this.close(code, reason);
      }
    }
  }

  /** 1001 when the relay stops, 4409 when a newer hub took over, else 1013 (try again later). */
  private static int closeCode(String code) {
    return switch (code) {
      case "shutting_down" -> 1001;
      case "superseded" -> 4409;
      default -> 1013;
    };
  }
}
