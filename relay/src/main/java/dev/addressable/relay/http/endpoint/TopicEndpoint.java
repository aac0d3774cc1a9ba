package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.address.Directory;
import dev.addressable.relay.config.TopicConfig;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.Call;
import dev.addressable.relay.http.wire.Fields;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.topic.Topics;
import java.util.LinkedHashMap;
import java.util.Map;
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

  private final Topics topics;
  private final Directory directory;
  private final KeyRing keys;
  private final TopicConfig config;
  private final String publicUrl;

  public TopicEndpoint(Topics topics, Directory directory, KeyRing keys, TopicConfig config, String publicUrl) {
    this.topics = topics;
    this.directory = directory;
    this.keys = keys;
    this.config = config;
    this.publicUrl = publicUrl;
  }

  public Answer create(Call call, String callback) {
    Topics.Created created = topics.create();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("topic", created.topic().id());
    body.put("url", Requests.baseUrl(call, publicUrl) + "/t/" + created.publishToken());
    body.put("subscribeKey", created.subscribeKey());
    return Answer.json(201, body, callback);
  }

  public Answer subscribe(Call call, Fields fields, String callback) {
    Channel channel = channel(call, fields);
    String id = topicId(fields.get("topic"));
    if (!topics.verifySubscribeKey(id, fields.get("subscribeKey"))) {
      throw new ApiException(403, "wrong_key", "subscribeKey is not this topic's subscribe key");
    }
    channel.feed().subscribe(topics.get(id), config.maxPerChannel());
    return Answer.json(200, answer(id, true), callback);
  }

  public Answer unsubscribe(Call call, Fields fields, String callback) {
    Channel channel = channel(call, fields);
    String id = topicId(fields.get("topic"));
    channel.feed().unsubscribe(id);
    return Answer.json(200, answer(id, false), callback);
  }

  private Channel channel(Call call, Fields fields) {
    return Receiving.open(directory, keys, fields.get("client"), fields.get("channel"), Requests.key(call, fields), null)
        .channel();
  }

  /**
   * The topic id named by {@code value}: the id itself, or the publish URL (or its token), whose
   * holder has every right. Only what this relay made is accepted.
   */
  private String topicId(String value) {
    Matcher m = TOPIC_IN_URL.matcher(value == null ? "" : value);
    if (m.find()) {
      String candidate = m.group(1);
      if (topics.isId(candidate)) {
        return candidate;
      }
      if (topics.isPublishToken(candidate)) {
        return topics.idOf(candidate);
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
