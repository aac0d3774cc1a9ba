package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.Call;
import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.http.wire.Fields;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Stages;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.store.TopicId;
import dev.addressable.relay.topic.TopicKeys;
import dev.addressable.relay.transport.Receivers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Topics: {@code POST /topics} makes one and answers three things: its {@code topic} id (what
 * subscribers see), its publish {@code url} (the right to publish: keep it on the server side) and
 * its {@code subscribeKey} (the right to subscribe: hand it to pages with the id).
 * {@code POST /subscribe} lets a channel follow a topic on the connection it already has;
 * {@code POST /unsubscribe} stops that. Publishing is a send to the publish URL.
 */
public final class TopicEndpoint {

  private static final Pattern TOPIC_IN_URL = Pattern.compile("(?:^|/t/)([A-Za-z0-9_-]{32})/?$");

  private final Store store;
  private final TopicKeys topics;
  private final Receivers receivers;
  private final KeyRing keys;
  private final Later later;
  private final String publicUrl;

  public TopicEndpoint(Store store, TopicKeys topics, Receivers receivers, KeyRing keys, Later later,
      String publicUrl) {
    this.store = store;
    this.topics = topics;
    this.receivers = receivers;
    this.keys = keys;
    this.later = later;
    this.publicUrl = publicUrl;
  }

  /** The answer now, or {@code null} when it comes later through {@code exchange}. */
  public Answer create(Call call, String callback, Exchange exchange) {
    TopicKeys.Created created = topics.create();
    return later.answer(store.openTopic(new TopicId(created.id())), exchange, callback, done -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("topic", created.id());
      body.put("url", Requests.baseUrl(call, publicUrl) + "/t/" + created.publishToken());
      body.put("subscribeKey", created.subscribeKey());
      return Answer.json(201, body, callback);
    });
  }

  /**
   * Lets the caller's channel follow the topic. The channel is live again before the topic is
   * checked (a proven key brings it back); this node listens for the topic before the store
   * records the subscription, so no publish after it goes unhinted here.
   */
  public Answer subscribe(Call call, Fields fields, String callback, Exchange exchange) {
    ChannelId channel = channel(call, fields);
    Executor executor = later.executor();
    return later.answer(Stages.thenCompose(store.open(channel), executor, end -> {
      TopicId topic = topicId(fields.get("topic"));
      if (!topics.verifySubscribeKey(topic.value(), fields.get("subscribeKey"))) {
        throw new ApiException(403, "wrong_key", "subscribeKey is not this topic's subscribe key");
      }
      receivers.follow(channel, topic);
      return Stages.handle(store.subscribe(channel, topic), executor, (subscribed, refused) -> {
        if (refused != null) {
          receivers.unfollow(channel, topic); // it does not follow the topic after all
          throw refused instanceof RuntimeException e ? e : new CompletionException(refused);
        }
        return topic;
      });
    }), exchange, callback, topic -> Answer.json(200, answer(topic.value(), true), callback));
  }

  public Answer unsubscribe(Call call, Fields fields, String callback, Exchange exchange) {
    ChannelId channel = channel(call, fields);
    Executor executor = later.executor();
    return later.answer(Stages.thenCompose(store.open(channel), executor, end -> {
      TopicId topic = topicId(fields.get("topic"));
      return Stages.thenApply(store.unsubscribe(channel, topic), executor, was -> {
        receivers.unfollow(channel, topic);
        return topic;
      });
    }), exchange, callback, topic -> Answer.json(200, answer(topic.value(), false), callback));
  }

  private ChannelId channel(Call call, Fields fields) {
    return Receiving.open(receivers, keys, fields.get("client"), fields.get("channel"), Requests.key(call, fields), null)
        .channel();
  }

  /**
   * The topic id named by {@code value}: the id itself, or the publish URL (or its token), whose
   * holder has every right. Only what this relay made is accepted.
   */
  private TopicId topicId(String value) {
    Matcher m = TOPIC_IN_URL.matcher(value == null ? "" : value);
    if (m.find()) {
      String candidate = m.group(1);
      if (topics.isId(candidate)) {
        return new TopicId(candidate);
      }
      if (topics.isPublishToken(candidate)) {
        return new TopicId(topics.idOf(candidate));
      }
    }
    throw new ApiException(404, "unknown_address", "topic must be the topic id (or publish URL) POST /topics handed out");
  }

  private static Map<String, Object> answer(String topic, boolean subscribed) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("topic", topic);
    body.put("subscribed", subscribed);
    return body;
  }
}
