package dev.addressable.relay.cluster;

import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Lease;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this node holds in Redis and must keep alive or re-check: leases by channel (polls and
 * streams), the topics those channels follow, and the channels and topics it served lately. The
 * store renews stream leases and topic leases from it, wakes its channels and topics when hints
 * may have been lost, and counts from it ({@link dev.addressable.relay.store.Store#counts} never
 * asks Redis). Thread-safe; no I/O here.
 */
final class LocalHolds {

  private static final class Hold {
    volatile int polls;
    volatile int streams;
    volatile Set<String> topics = Set.of();
  }

  private final ConcurrentHashMap<ChannelId, Hold> holds = new ConcurrentHashMap<>();
  /** Channels and topics used here, with when (System.nanoTime): for counts. */
  private final ConcurrentHashMap<ChannelId, Long> channels = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> topics = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> variables = new ConcurrentHashMap<>();

  void used(ChannelId channel) {
    channels.put(channel, System.nanoTime());
  }

  void usedTopic(String topic) {
    topics.put(topic, System.nanoTime());
  }

  void usedVariable(String name) {
    variables.put(name, System.nanoTime());
  }

  void take(ChannelId channel, Lease lease) {
    holds.compute(channel, (id, hold) -> {
      Hold h = hold != null ? hold : new Hold();
      if (lease.kind() == Lease.Kind.STREAM) {
        h.streams++;
      } else {
        h.polls++;
      }
      return h;
    });
  }

  void give(ChannelId channel, Lease lease) {
    holds.computeIfPresent(channel, (id, h) -> {
      if (lease.kind() == Lease.Kind.STREAM) {
        h.streams = Math.max(0, h.streams - 1);
      } else {
        h.polls = Math.max(0, h.polls - 1);
      }
      return h.streams + h.polls == 0 ? null : h;
    });
  }

  /** The topics a held channel follows, as its last read found them. */
  void follows(ChannelId channel, Set<String> followed) {
    holds.computeIfPresent(channel, (id, h) -> {
      h.topics = Set.copyOf(followed);
      return h;
    });
  }

  /** Whether a receiver here holds the channel now. */
  boolean isHeld(ChannelId channel) {
    return holds.containsKey(channel);
  }

  /** A held channel follows one more topic (subscribed through this node). */
  void follow(ChannelId channel, String topic) {
    holds.computeIfPresent(channel, (id, h) -> {
      Set<String> next = new HashSet<>(h.topics);
      next.add(topic);
      h.topics = Set.copyOf(next);
      return h;
    });
  }

  /** Channels with streams held here, and how many each. */
  Map<ChannelId, Integer> streams() {
    Map<ChannelId, Integer> out = new HashMap<>();
    holds.forEach((id, h) -> {
      int streams = h.streams;
      if (streams > 0) {
        out.put(id, streams);
      }
    });
    return out;
  }

  /** Topics followed by channels held here by streams: their leases need renewing. */
  Set<String> streamTopics() {
    Set<String> out = new HashSet<>();
    holds.values().forEach(h -> {
      if (h.streams > 0) {
        out.addAll(h.topics);
      }
    });
    return out;
  }

  /** Every channel held here now. */
  Set<ChannelId> held() {
    return Set.copyOf(holds.keySet());
  }

  /** Every topic a channel held here follows. */
  Set<String> heldTopics() {
    Set<String> out = new HashSet<>();
    holds.values().forEach(h -> out.addAll(h.topics));
    return out;
  }

  int channelCount() {
    return channels.size();
  }

  int topicCount() {
    return topics.size();
  }

  int variableCount() {
    return variables.size();
  }

  /** Forgets what was not used within {@code idleNanos}, unless held. */
  void prune(long idleNanos) {
    long cutoff = System.nanoTime() - idleNanos;
    channels.entrySet().removeIf(e -> e.getValue() - cutoff < 0 && !holds.containsKey(e.getKey()));
    topics.entrySet().removeIf(e -> e.getValue() - cutoff < 0);
    variables.entrySet().removeIf(e -> e.getValue() - cutoff < 0);
  }
}
