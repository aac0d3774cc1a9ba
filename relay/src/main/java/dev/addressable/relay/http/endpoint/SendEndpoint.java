package dev.addressable.relay.http.endpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.common.base.Utf8;
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
import dev.addressable.relay.send.Receipts;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.ClientId;
import dev.addressable.relay.store.Delivery;
import dev.addressable.relay.store.Send;
import dev.addressable.relay.store.Stages;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.store.TopicId;
import dev.addressable.relay.text.Base64Url;
import dev.addressable.relay.text.Json;
import dev.addressable.relay.topic.TopicKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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

  private final Store store;
  private final TopicKeys topics;
  private final Receipts receipts;
  private final InboxConfig config;
  private final Metrics metrics;
  private final Later later;

  public SendEndpoint(Store store, TopicKeys topics, Receipts receipts, InboxConfig config, Metrics metrics,
      Later later) {
    this.store = store;
    this.topics = topics;
    this.receipts = receipts;
    this.config = config;
    this.metrics = metrics;
    this.later = later;
  }

  /** The target of a send, checked: one of a channel, a client, a topic. */
  record Target(ChannelId channel, ClientId client, TopicId topic) {

    SendAnswer.Kind kind() {
      return topic != null ? SendAnswer.Kind.TOPIC : channel != null ? SendAnswer.Kind.CHANNEL : SendAnswer.Kind.CLIENT;
    }
  }

  /** The target an address route names, checked ({@link Route.Kind#CLIENT}, {@code CHANNEL} or {@code TOPIC}). */
  Target target(Route route) {
    return switch (route.kind()) {
      case TOPIC -> new Target(null, null, topic(route.first()));
      case CLIENT -> new Target(null, new ClientId(Requests.client(route.first())), null);
      case CHANNEL -> new Target(new ChannelId(Requests.client(route.first()), Requests.channel(route.second())), null,
          null);
      default -> throw new IllegalArgumentException("not an address: " + route);
    };
  }

  /**
   * {@code HEAD} on an address: 204 if someone is there, else 404; never sends. A genuine topic is
   * always there (asking brings it back, as a publish would).
   */
  public Answer head(Route route, Exchange exchange) {
    Target target;
    try {
      target = target(route);
    } catch (ApiException e) {
      return Answer.empty(e.status());
    }
    CompletionStage<Boolean> live = target.topic() != null
        ? Stages.thenApply(store.openTopic(target.topic()), later.executor(), done -> true)
        : target.channel() != null ? store.exists(target.channel()) : store.exists(target.client());
    return later.answer(live, exchange, null, isLive -> Answer.empty(isLive ? 204 : 404));
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
    CompletionStage<Delivery> sent = send(target, message, fields.get("ttl"), fields.get("mid"));
    if (Stages.isDone(sent)) {
      return delivered(target, Stages.now(sent), wait, callback, exchange);
    }
    return later.answer(sent, exchange, callback, delivery -> delivered(target, delivery, wait, callback, exchange));
  }

  /** The answer to a send that was stored: now, or with {@code wait} once a receiver confirmed it or the time is up. */
  private Answer delivered(Target target, Delivery delivery, Duration wait, String callback, Exchange exchange) {
    if (delivery == null) {
      throw new ApiException(404, "unknown_address",
          "nobody is at this address now: the tab has not connected, or went idle; it is live again once it connects");
    }
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
   * @return the answer's JSON object, as for an HTTP send; failed as an HTTP send would be refused
   * @throws ApiException if the address or message is refused before anything is stored
   */
  public CompletionStage<String> sendTo(String address, String message, String ttl, String mid) {
    Route route = Route.ofAddress(address);
    if (route == null) {
      throw ApiException.badRequest("bad_address", "\"to\" must be an address: {base}/m/{client}[/{channel}] or {base}/t/{token}");
    }
    Target target = target(route);
    return Stages.thenApply(send(target, message, ttl, mid), later.executor(), delivery -> {
      if (delivery == null) {
        throw new ApiException(404, "unknown_address",
            "nobody is at this address now: the tab has not connected, or went idle; it is live again once it connects");
      }
      SendAnswer answer = new SendAnswer(delivery, target.kind(), null, 0);
      byte[] json = new byte[answer.length()];
      answer.writeTo(json, 0);
      return new String(json, StandardCharsets.UTF_8);
    });
  }

  /** The topic a publish token names; a topic's id (which subscribers see) does not let anyone publish. */
  private TopicId topic(String token) {
    if (topics.isPublishToken(token)) {
      return new TopicId(topics.idOf(token));
    }
    if (topics.isId(token)) {
      throw new ApiException(403, "not_a_publish_url", "this is a topic's id, which lets subscribers follow it but "
          + "not publish; publish to the url POST /topics handed out");
    }
    throw new ApiException(404, "unknown_address", "no topic has this publish URL; create one with POST /topics");
  }

  /**
   * Stores the message, once per {@code mid} within the window; completes with {@code null} if
   * nobody is at the address.
   */
  private CompletionStage<Delivery> send(Target target, String message, String ttl, String mid) {
    int bytes = utf8Length(message);
    if (bytes > config.maxMessageBytes()) {
      throw new ApiException(413, "message_too_large",
          "the message is " + bytes + " bytes; at most " + config.maxMessageBytes() + " are allowed");
    }
    Send send = new Send(message, ttl(ttl), mid(mid));
    if (target.topic() != null) {
      return store.publish(target.topic(), send);
    }
    return target.channel() != null ? store.append(target.channel(), send) : store.appendToClient(target.client(), send);
  }

  /** One receipt per copy of the message (a topic's, a channel's, or each of a client's channels). */
  private List<CompletableFuture<Boolean>> receipts(Target target, Delivery delivery, Duration wait) {
    if (target.topic() != null) {
      return List.of(receipts.await(target.topic(), delivery.position(), wait));
    }
    List<CompletableFuture<Boolean>> each = new ArrayList<>(delivery.channels().size());
    for (Delivery.ChannelDelivery copy : delivery.channels()) {
      each.add(receipts.await(copy.channel(), copy.position(), wait));
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

  /** A sender's message id: 1 to 64 of {@code A-Z a-z 0-9 _ -}, or {@code null} for none. */
  static String mid(String value) {
    if (value == null) {
      return null;
    }
    if (value.isEmpty() || value.length() > 64 || !Base64Url.isValid(value, 0, value.length())) {
      throw ApiException.badRequest("bad_mid",
          "mid must be 1 to 64 of A-Z a-z 0-9 _ - (one per message, the same on each retry): " + Requests.abbreviate(value));
    }
    return value;
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
