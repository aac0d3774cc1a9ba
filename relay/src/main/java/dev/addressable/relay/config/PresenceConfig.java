package dev.addressable.relay.config;

import java.net.URI;
import java.time.Duration;

/**
 * Online status and webhooks.
 *
 * @param grace how long after its last poll a receiver still counts as online
 * @param webhook where events are POSTed, or {@code null} for none
 * @param webhookSecret key of the body's HMAC-SHA256 signature
 * @param webhookRetries attempts after the first before an event is given up
 * @param webhookQueue events queued at most; more are dropped and counted
 */
public record PresenceConfig(Duration grace, URI webhook, String webhookSecret, int webhookRetries, int webhookQueue) {

  public PresenceConfig withWebhook(URI webhook, String secret) {
    return new PresenceConfig(grace, webhook, secret, webhookRetries, webhookQueue);
  }

  public PresenceConfig withWebhookQueue(int webhookQueue) {
    return new PresenceConfig(grace, webhook, webhookSecret, webhookRetries, webhookQueue);
  }

  public PresenceConfig withGrace(Duration grace) {
    return new PresenceConfig(grace, webhook, webhookSecret, webhookRetries, webhookQueue);
  }
}
