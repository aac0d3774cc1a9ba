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
 */
public record PollConfig(Duration defaultTimeout, Duration maxTimeout, int maxPerChannel, int maxParked) {}
