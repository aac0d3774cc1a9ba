package dev.addressable.relay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.common.base.Utf8;
import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.send.Delivery;
import dev.addressable.relay.send.Dispatcher;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends to an address: {@code GET {address}?message=}, or {@code POST {address}} with a text/plain
 * or JSON body (the message is the body's text) or a form field {@code message}. A GET or HEAD
 * without {@code message} never sends, so link previewers that fetch a pasted address do no harm;
 * a HEAD never sends at all.
 */
final class SendEndpoint {

  private static final Pattern ADDRESS = Pattern.compile("(?:^|/)m/([^/?#]+)(?:/([^/?#]+))?/?(?:[?#].*)?$");

  private final Dispatcher dispatcher;
  private final InboxConfig config;

  SendEndpoint(Dispatcher dispatcher, InboxConfig config) {
    this.dispatcher = dispatcher;
    this.config = config;
  }

  void handle(Context ctx) {
    String client = Requests.client(ctx.pathParam("client"));
    String channel = ctx.pathParamMap().containsKey("channel") ? Requests.channel(ctx.pathParam("channel")) : null;
    if ("HEAD".equals(ctx.method().name())) {
      ctx.status(isLive(client, channel) ? 204 : 404);
      return;
    }
    Fields fields = Fields.of(ctx);
    Responder.json(ctx, 202, send(client, channel, message(ctx, fields), fields.get("ttl")));
  }

  /**
   * Sends to an address given as a URL or path ({@code …/m/{client}[/{channel}]}), as the
   * WebSocket transport's {@code {"to"}} frames do.
   *
   * @return the answer's fields, as for an HTTP send
   */
  Map<String, Object> sendTo(String address, String message, String ttl) {
    Matcher m = ADDRESS.matcher(address == null ? "" : address);
    if (!m.find()) {
      throw ApiException.badRequest("bad_address", "\"to\" must be an address: {base}/m/{client}[/{channel}]");
    }
    return send(Requests.client(m.group(1)), m.group(2) == null ? null : Requests.channel(m.group(2)), message, ttl);
  }

  private Map<String, Object> send(String client, String channel, String message, String ttl) {
    int bytes = utf8Length(message);
    if (bytes > config.maxMessageBytes()) {
      throw new ApiException(413, "message_too_large",
          "the message is " + bytes + " bytes; at most " + config.maxMessageBytes() + " are allowed");
    }
    long ttlMillis = ttl(ttl);
    Delivery delivery = channel != null
        ? dispatcher.toChannel(client, channel, message, bytes, ttlMillis)
        : dispatcher.toClient(client, message, bytes, ttlMillis);
    if (delivery == null) {
      throw new ApiException(404, "unknown_address",
          "nobody is at this address now: the tab has not connected, or went idle; it is live again once it connects");
    }
    return channel != null ? channelBody(delivery) : clientBody(delivery);
  }

  private boolean isLive(String client, String channel) {
    return channel != null
        ? dispatcher.directory().find(client, channel) != null
        : !dispatcher.directory().channelsOf(client).isEmpty();
  }

  private static String message(Context ctx, Fields fields) {
    String fromQuery = ctx.queryParam("message");
    if (!"POST".equals(ctx.method().name())) {
      if (fromQuery == null) {
        throw missing();
      }
      return fromQuery;
    }
    String type = Fields.mediaType(ctx);
    switch (type) {
      case "", "text/plain" -> {
        String body = ctx.body();
        if (body.isEmpty() && fromQuery == null) {
          throw missing();
        }
        return body.isEmpty() ? fromQuery : body;
      }
      case "application/json" -> {
        String body = ctx.body();
        checkJson(body);
        return body;
      }
      case "application/x-www-form-urlencoded", "multipart/form-data" -> {
        String field = fields.get("message");
        if (field == null) {
          throw missing();
        }
        return field;
      }
      default -> throw new ApiException(415, "unsupported_media_type",
          "send text/plain, application/json, or a form with a message field; got " + Requests.abbreviate(type));
    }
  }

  private static void checkJson(String body) {
    try {
      Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("bad_json", "the body is declared application/json but is not valid JSON");
    }
    if (body.isBlank()) {
      throw missing();
    }
  }

  private static ApiException missing() {
    return ApiException.badRequest("missing_message",
        "nothing to send: add ?message=TEXT, or POST the message as the body");
  }

  private long ttl(String value) {
    if (value == null || value.isEmpty()) {
      return 0;
    }
    long max = config.maxAge().toSeconds();
    long seconds;
    try {
      seconds = Long.parseLong(value);
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 1 || seconds > max) {
      throw ApiException.badRequest("bad_ttl",
          "ttl must be a whole number of seconds from 1 to " + max + ": " + Requests.abbreviate(value));
    }
    return seconds * 1000;
  }

  private static int utf8Length(String message) {
    try {
      return Utf8.encodedLength(message);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_message", "the message holds an unpaired surrogate: it is not valid text");
    }
  }

  private static Map<String, Object> channelBody(Delivery delivery) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("seq", delivery.seq());
    body.put("delivered", delivery.delivered());
    return body;
  }

  private static Map<String, Object> clientBody(Delivery delivery) {
    List<Map<String, Object>> channels = new ArrayList<>(delivery.channels().size());
    for (Delivery.ChannelDelivery each : delivery.channels()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("channel", each.channel());
      entry.put("seq", each.seq());
      entry.put("delivered", each.delivered());
      channels.add(entry);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("delivered", delivery.delivered());
    body.put("channels", channels);
    return body;
  }
}
