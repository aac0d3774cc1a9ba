package dev.addressable.relay.webhook;

import dev.addressable.relay.event.RelayEvents;
import dev.addressable.relay.inbox.Message;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The relay's events the app's webhook hears of, as its JSON bodies: {@code channel.online},
 * {@code channel.offline} (after the grace period) and {@code message.expired} (a message dropped
 * before anyone read it). Each is queued on {@link Webhooks}, never sent on the caller's thread.
 */
public final class WebhookEvents implements RelayEvents {

  private final Webhooks webhooks;
  private final Function<Object, String> json;

  /** @param json writes a body as JSON text */
  public WebhookEvents(Webhooks webhooks, Function<Object, String> json) {
    this.webhooks = webhooks;
    this.json = json;
  }

  @Override
  public void online(String client, String channel, long ts) {
    webhooks.emit(json.apply(event("channel.online", client, channel, ts)));
  }

  @Override
  public void offline(String client, String channel, long ts) {
    webhooks.emit(json.apply(event("channel.offline", client, channel, ts)));
  }

  @Override
  public void droppedUnread(String client, String channel, String topic, Message message, String reason, long ts) {
    Map<String, Object> body = event("message.expired", client, channel, ts);
    if (topic != null) {
      body.put("topic", topic);
    }
    body.put("seq", message.seq());
    body.put("reason", reason);
    webhooks.emit(json.apply(body));
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
