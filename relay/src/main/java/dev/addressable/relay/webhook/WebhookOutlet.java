package dev.addressable.relay.webhook;

import dev.addressable.relay.event.EventOutlet;
import dev.addressable.relay.metrics.Metrics;
import java.util.Map;
import java.util.function.Function;

/**
 * Cluster mode's way to the webhook: the reaper hands over one event at a time and waits while
 * {@link Webhooks} delivers it with its retries, so Redis keeps the event until then.
 */
public final class WebhookOutlet implements EventOutlet {

  private final Webhooks webhooks;
  private final Function<Object, String> json;
  private final Metrics metrics;

  /** @param json writes a body as JSON text */
  public WebhookOutlet(Webhooks webhooks, Function<Object, String> json, Metrics metrics) {
    this.webhooks = webhooks;
    this.json = json;
    this.metrics = metrics;
  }

  @Override
  public void deliver(Map<String, Object> body) throws InterruptedException {
    webhooks.deliverNow(json.apply(body));
  }

  @Override
  public void dropped(long count) {
    for (long i = 0; i < count; i++) {
      metrics.webhookDropped();
    }
  }
}
