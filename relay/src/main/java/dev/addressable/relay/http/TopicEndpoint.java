package dev.addressable.relay.http;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.address.Directory;
import dev.addressable.relay.address.KeyRing;
import dev.addressable.relay.config.TopicConfig;
import dev.addressable.relay.topic.Topic;
import dev.addressable.relay.topic.Topics;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Topics: {@code POST /topics} makes one and answers its publish URL and its subscribe key (two
 * separate rights); {@code POST /subscribe} lets a channel follow it on the connection it already
 * has; {@code POST /unsubscribe} stops that. Publishing is a send to {@code /t/{topic}}.
 */
final class TopicEndpoint {

  private static final Pattern TOPIC_IN_URL = Pattern.compile("(?:^|/t/)([A-Za-z0-9_-]{32})/?$");

  private final Topics topics;
  private final Directory directory;
  private final KeyRing keys;
  private final TopicConfig config;
  private final String publicUrl;

  TopicEndpoint(Topics topics, Directory directory, KeyRing keys, TopicConfig config, String publicUrl) {
    this.topics = topics;
    this.directory = directory;
    this.keys = keys;
    this.config = config;
    this.publicUrl = publicUrl;
  }

  void create(Context ctx) {
    Topic topic = topics.create();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("topic", topic.id());
    body.put("url", Requests.baseUrl(ctx, publicUrl) + "/t/" + topic.id());
    body.put("subscribeKey", topics.subscribeKey(topic.id()));
    Responder.json(ctx, 201, body);
  }

  void subscribe(Context ctx) {
    Fields fields = Fields.of(ctx);
    Channel channel = channel(ctx, fields);
    String id = topicId(fields.get("topic"));
    if (!topics.verifySubscribeKey(id, fields.get("subscribeKey"))) {
      throw new ApiException(403, "wrong_key", "subscribeKey is not this topic's subscribe key");
    }
    channel.feed().subscribe(topics.get(id), config.maxPerChannel());
    Responder.json(ctx, 200, answer(id, true));
  }

  void unsubscribe(Context ctx) {
    Fields fields = Fields.of(ctx);
    Channel channel = channel(ctx, fields);
    String id = topicId(fields.get("topic"));
    channel.feed().unsubscribe(id);
    Responder.json(ctx, 200, answer(id, false));
  }

  private Channel channel(Context ctx, Fields fields) {
    return Receiving.open(directory, keys, fields.get("client"), fields.get("channel"), Requests.key(ctx, fields), null)
        .channel();
  }

  /** The topic id, given bare or as its publish URL; only ids this relay made are accepted. */
  private String topicId(String value) {
    Matcher m = TOPIC_IN_URL.matcher(value == null ? "" : value);
    if (!m.find() || !topics.isGenuine(m.group(1))) {
      throw new ApiException(404, "unknown_address", "topic must be the id or URL POST /topics handed out");
    }
    return m.group(1);
  }

  private static Map<String, Object> answer(String topic, boolean subscribed) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("topic", topic);
    body.put("subscribed", subscribed);
    return body;
  }
}
