package dev.addressable.relay.http.endpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.common.base.Utf8;
import dev.addressable.relay.address.Channel;
import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.Bodies;
import dev.addressable.relay.http.wire.Call;
import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.http.wire.Fields;
import dev.addressable.relay.http.wire.Jsonp;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.http.wire.Route;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.send.Delivery;
import dev.addressable.relay.send.Dispatcher;
import dev.addressable.relay.text.Json;
import dev.addressable.relay.topic.Topic;
import dev.addressable.relay.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends to an address — a channel ({@code /m/{client}/{channel}}), every channel of a client
 * ({@code /m/{client}}) or a topic ({@code /t/{publish token}}): {@code GET ?message=}, or
 * {@code POST} with a text/plain or JSON body (the message is the body's text, whatever JSON value
 * it holds) or a form field {@code message}. A GET or HEAD without {@code message} never sends,
 * so link previewers that fetch a pasted address do no harm; a HEAD never sends at all.
 *
 * <p>With {@code wait=N} (seconds, at most {@value #MAX_WAIT}) the answer waits until a receiver
 * confirms the message or the time is up, and says {@code "received":true|false}.
 */
public final class SendEndpoint {

  static final int MAX_WAIT = 10;

  private final Dispatcher dispatcher;
  private final InboxConfig config;
  private final Metrics metrics;

  public SendEndpoint(Dispatcher dispatcher, InboxConfig config, Metrics metrics) {
    this.dispatcher = dispatcher;
    this.config = config;
    this.metrics = metrics;
  }

  /** The target of a send, checked. */
  record Target(String client, String channel, Topic topic) {

    SendAnswer.Kind kind() {
      return topic != null ? SendAnswer.Kind.TOPIC : channel != null ? SendAnswer.Kind.CHANNEL : SendAnswer.Kind.CLIENT;
    }
  }

  /** The target an address route names, checked ({@link Route.Kind#CLIENT}, {@code CHANNEL} or {@code TOPIC}). */
  Target target(Route route) {
    return switch (route.kind()) {
      case TOPIC -> new Target(null, null, topic(route.first()));
      case CLIENT -> new Target(Requests.client(route.first()), null, null);
      case CHANNEL -> new Target(Requests.client(route.first()), Requests.channel(route.second()), null);
      default -> throw new IllegalArgumentException("not an address: " + route);
    };
  }

  /** {@code HEAD} on an address: 204 if someone is there, else 404; never sends. */
  public Answer head(Route route) {
    Target target;
    try {
      target = target(route);
    } catch (ApiException e) {
      return Answer.empty(e.status());
    }
    return Answer.empty(isLive(target) ? 204 : 404);
  }

  /** {@code GET ?message=} on an address: the answer now, or {@code null} when it waits for a receipt. */
  public Answer get(Route route, Fields fields, String callback, Exchange exchange) {
    String message = fields.get("message");
    if (message == null) {
      throw missing();
    }
    return deliver(target(route), message, fields, callback, exchange);
  }

  /** {@code POST} on an address: the answer now, or {@code null} when it waits for a receipt. */
  public Answer post(Route route, Call call, Fields fields, String callback, Exchange exchange) {
    Target target = target(route);
    return deliver(target, message(call, fields), fields, callback, exchange);
  }

  /**
   * Sends, and answers at once, or with {@code wait=N} later through {@code exchange}, once a
   * receiver confirmed the message or the time is up.
   */
  private Answer deliver(Target target, String message, Fields fields, String callback, Exchange exchange) {
    Duration wait = waitFor(fields.get("wait"));
    Delivery delivery = send(target, message, fields.get("ttl"));
    SendAnswer answer = new SendAnswer(delivery, target.kind(), null, callback == null ? 0 : 202);
    if (wait.isZero()) {
      return answer(answer, callback);
    }
    List<CompletableFuture<Boolean>> each = receipts(target, delivery, wait);
    exchange.waiting(() -> each.forEach(receipt -> receipt.cancel(false)));
    anyOf(each).whenComplete((confirmed, failure) -> {
      if (failure != null) {
        return; // called off: the sender went away
      }
      metrics.receipt(confirmed);
      exchange.answer(answer(answer.received(confirmed), callback));
    });
    return null;
  }

  private static Answer answer(SendAnswer body, String callback) {
    return callback == null ? Answer.json(202, body) : Answer.script(Jsonp.call(callback, body));
  }

  /**
   * Sends to an address given as a URL or path ({@code …/m/{client}[/{channel}]} or
   * {@code …/t/{token}}), as the WebSocket transport's {@code {"to"}} frames do.
   *
   * @return the answer's JSON object, as for an HTTP send
   */
  public String sendTo(String address, String message, String ttl) {
    Route route = Route.ofAddress(address);
    if (route == null) {
      throw ApiException.badRequest("bad_address", "\"to\" must be an address: {base}/m/{client}[/{channel}] or {base}/t/{token}");
    }
    Target target = target(route);
    SendAnswer answer = new SendAnswer(send(target, message, ttl), target.kind(), null, 0);
    byte[] json = new byte[answer.length()];
    answer.writeTo(json, 0);
    return new String(json, StandardCharsets.UTF_8);
  }

  /** The topic a publish token names; a topic's id (which subscribers see) does not let anyone publish. */
  private Topic topic(String token) {
    Topics topics = dispatcher.topics();
    if (topics.isPublishToken(token)) {
      return topics.get(topics.idOf(token));
    }
    if (topics.isId(token)) {
      throw new ApiException(403, "not_a_publish_url", "this is a topic's id, which lets subscribers follow it but "
          + "not publish; publish to the url POST /topics handed out");
    }
    throw new ApiException(404, "unknown_address", "no topic has this publish URL; create one with POST /topics");
  }

  private Delivery send(Target target, String message, String ttl) {
    int bytes = utf8Length(message);
    if (bytes > config.maxMessageBytes()) {
      throw new ApiException(413, "message_too_large",
          "the message is " + bytes + " bytes; at most " + config.maxMessageBytes() + " are allowed");
    }
    long ttlMillis = ttl(ttl);
    Delivery delivery;
    if (target.topic() != null) {
      delivery = dispatcher.toTopic(target.topic(), message, ttlMillis);
    } else if (target.channel() != null) {
      delivery = dispatcher.toChannel(target.client(), target.channel(), message, ttlMillis);
    } else {
      delivery = dispatcher.toClient(target.client(), message, ttlMillis);
    }
    if (delivery == null) {
      throw new ApiException(404, "unknown_address",
          "nobody is at this address now: the tab has not connected, or went idle; it is live again once it connects");
    }
    return delivery;
  }

  /** One receipt per copy of the message (a topic's, a channel's, or each of a client's channels). */
  private static List<CompletableFuture<Boolean>> receipts(Target target, Delivery delivery, Duration wait) {
    if (target.topic() != null) {
      return List.of(target.topic().receipts().await(delivery.seq(), wait));
    }
    List<CompletableFuture<Boolean>> each = new ArrayList<>(delivery.targets().size());
    for (int i = 0; i < delivery.targets().size(); i++) {
      Channel channel = delivery.targets().get(i);
      each.add(channel.feed().awaitReceipt(delivery.channels().get(i).seq(), wait));
    }
    return each;
  }

  /** True once any receipt confirms; false when all time out; failed if they were called off. */
  private static CompletableFuture<Boolean> anyOf(List<CompletableFuture<Boolean>> each) {
    if (each.size() == 1) {
      return each.get(0);
    }
    CompletableFuture<Boolean> any = new CompletableFuture<>();
    AtomicInteger pending = new AtomicInteger(each.size());
    for (CompletableFuture<Boolean> one : each) {
      one.whenComplete((confirmed, failure) -> {
        if (failure != null) {
          any.completeExceptionally(failure);
        } else if (confirmed) {
          any.complete(true);
        } else if (pending.decrementAndGet() == 0) {
          any.complete(false);
        }
      });
    }
    return any;
  }

  private boolean isLive(Target target) {
    if (target.topic() != null) {
      return true;
    }
    return target.channel() != null
        ? dispatcher.directory().find(target.client(), target.channel()) != null
        : !dispatcher.directory().channelsOf(target.client()).isEmpty();
  }

  /** The message of a POST. */
  private static String message(Call call, Fields fields) {
    switch (call.mediaType()) {
      case "", "text/plain" -> {
        String body = Bodies.text(call);
        String fromQuery = fields.get("message");
        if (body.isEmpty() && fromQuery == null) {
          throw missing();
        }
        return body.isEmpty() ? fromQuery : body;
      }
      case "application/json" -> {
        String body = Bodies.text(call);
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
          "send text/plain, application/json, or a form with a message field; got " + Requests.abbreviate(call.mediaType()));
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
    long seconds = wholeNumber(value);
    if (seconds < 1 || seconds > max) {
      throw ApiException.badRequest("bad_ttl",
          "ttl must be a whole number of seconds from 1 to " + max + ": " + Requests.abbreviate(value));
    }
    return seconds * 1000;
  }

  private static Duration waitFor(String value) {
    if (value == null || value.isEmpty()) {
      return Duration.ZERO;
    }
    long seconds = wholeNumber(value);
    if (seconds < 0 || seconds > MAX_WAIT) {
      throw ApiException.badRequest("bad_wait",
          "wait must be a whole number of seconds from 0 to " + MAX_WAIT + ": " + Requests.abbreviate(value));
    }
    return Duration.ofSeconds(seconds);
  }

  private static long wholeNumber(String value) {
    return Requests.wholeNumber(value);
  }

  private static int utf8Length(String message) {
    try {
      return Utf8.encodedLength(message);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_message", "the message holds an unpaired surrogate: it is not valid text");
    }
  }
}
