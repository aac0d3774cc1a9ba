package dev.addressable.relay.config;

import java.time.Duration;

/**
 * Topics.
 *
 * @param expiry how long a topic nobody follows is kept after its last publish or subscribe
 * @param maxTopics topics the relay holds at once
 * @param maxPerChannel topics one channel may follow
 */
public record TopicConfig(Duration expiry, int maxTopics, int maxPerChannel) {}
