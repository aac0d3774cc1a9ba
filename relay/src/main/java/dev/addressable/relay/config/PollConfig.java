package dev.addressable.relay.config;

import java.time.Duration;

/**
 * Long-poll settings.
 *
 * @param defaultTimeout used when a poll names no {@code timeout}
 * @param maxTimeout larger requested timeouts are cut to this
 * @param maxPerChannel parked polls one channel may hold; one more is answered 429
 * @param maxParked parked requests (polls and event-variable waits) the relay holds; one more is
 *     answered 503
 * @param heartbeat how often a streaming transport (SSE, WebSocket) with nothing to send writes a
 *     heartbeat; also how soon a dead stream is noticed
 * @param maxPerClient parked polls and SSE streams one client may hold at this relay (WebSockets
 *     are not counted); one more poll is answered at once with an interval, one more stream 429;
 *     0 means no cap
 */
public record PollConfig(
    Duration defaultTimeout, Duration maxTimeout, int maxPerChannel, int maxParked, Duration heartbeat,
    int maxPerClient) {

  public PollConfig withMaxPerChannel(int maxPerChannel) {
    return new PollConfig(defaultTimeout, maxTimeout, maxPerChannel, maxParked, heartbeat, maxPerClient);
  }

  public PollConfig withHeartbeat(Duration heartbeat) {
    return new PollConfig(defaultTimeout, maxTimeout, maxPerChannel, maxParked, heartbeat, maxPerClient);
  }

  public PollConfig withMaxPerClient(int maxPerClient) {
    return new PollConfig(defaultTimeout, maxTimeout, maxPerChannel, maxParked, heartbeat, maxPerClient);
  }
}
