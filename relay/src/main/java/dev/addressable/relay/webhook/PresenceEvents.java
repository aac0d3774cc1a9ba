package dev.addressable.relay.webhook;

import dev.addressable.relay.inbox.Message;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the relay tells the app's webhook: a channel came online, went offline (after the grace
 * period), or a message was dropped before anyone read it. Implementations must not block.
 */
public interface PresenceEvents {

  void online(String client, String channel, long ts);

  void offline(String client, String channel, long ts);

  /** A channel's own message ({@code topic} null) or a topic's message left unread. */
  void expired(String client, String channel, String topic, Message message, String reason, long ts);

  PresenceEvents NONE = new PresenceEvents() {
    @Override public void online(String client, String channel, long ts) {}
    @Override public void offline(String client, String channel, long ts) {}
    @Override public void expired(String client, String channel, String topic, Message m, String reason, long ts) {}
  };

  /** Events as webhook JSON bodies. */
  static PresenceEvents to(Webhooks webhooks, java.util.function.Function<Object, String> json) {
    return new PresenceEvents() {
      @Override
      public void online(String client, String channel, long ts) {
        webhooks.emit(json.apply(event("channel.online", client, channel, ts)));
      }

      @Override
      public void offline(String client, String channel, long ts) {
        webhooks.emit(json.apply(event("channel.offline", client, channel, ts)));
      }

      @Override
      public void expired(String client, String channel, String topic, Message m, String reason, long ts) {
        Map<String, Object> body = event("message.expired", client, channel, ts);
        if (topic != null) {
          body.put("topic", topic);
        }
        body.put("seq", m.seq());
        body.put("reason", reason);
        webhooks.emit(json.apply(body));
      }
    };
  }

  private static Map<String, Object> event(String type, String client, String channel, long ts) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type);
    body.put("client", client);
    body.put("channel", channel);
    body.put("ts", ts);
    return body;
  }
}
