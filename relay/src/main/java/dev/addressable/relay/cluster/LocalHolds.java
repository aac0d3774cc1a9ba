package dev.addressable.relay.cluster;

import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Lease;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
    /** When the latest poll taken here ends at the latest (System.nanoTime). */
    volatile long pollsUntil;
    volatile Set<String> topics = Set.of();
  }

  /** What this node holds on one channel, for the safety net: receivers, and for how long polls wait. */
  record Held(ChannelId channel, int polls, int streams, long pollMillisLeft, Set<String> topics) {
    int receivers() {
      return polls + streams;
    }
  }

  private final ConcurrentHashMap<ChannelId, Hold> holds = new ConcurrentHashMap<>();
  /** Channels and topics used here, with when (System.nanoTime): for counts. */
  private final ConcurrentHashMap<ChannelId, Long> channels = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> topics = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> variables = new ConcurrentHashMap<>();
  /** Topic to how many held channels follow it; changed only inside {@link #holds}' computes. */
  private final ConcurrentHashMap<String, Integer> followers = new ConcurrentHashMap<>();

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
        long until = System.nanoTime() + lease.length().toNanos();
        if (h.polls == 1 || until - h.pollsUntil > 0) {
          h.pollsUntil = until;
        }
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
      if (h.streams + h.polls > 0) {
        return h;
      }
      h.topics.forEach(t -> counted(t, -1));
      return null;
    });
  }

  /** The topics a held channel follows, as its last read found them. */
  void follows(ChannelId channel, Set<String> followed) {
    holds.computeIfPresent(channel, (id, h) -> {
      Set<String> next = Set.copyOf(followed);
      h.topics.forEach(t -> {
        if (!next.contains(t)) {
          counted(t, -1);
        }
      });
      next.forEach(t -> {
        if (!h.topics.contains(t)) {
          counted(t, 1);
        }
      });
      h.topics = next;
      return h;
    });
  }

  /** Changes the count of held channels following {@code topic}; called inside the channel's compute. */
  private void counted(String topic, int by) {
    followers.compute(topic, (t, n) -> {
      int next = (n == null ? 0 : n) + by;
      return next > 0 ? next : null;
    });
  }

  /** Whether a receiver here holds the channel now. */
  boolean isHeld(ChannelId channel) {
    return holds.containsKey(channel);
  }

  /** A held channel follows one more topic (subscribed through this node). */
  void follow(ChannelId channel, String topic) {
    holds.computeIfPresent(channel, (id, h) -> {
      if (!h.topics.contains(topic)) {
        Set<String> next = new HashSet<>(h.topics);
        next.add(topic);
        h.topics = Set.copyOf(next);
        counted(topic, 1);
      }
      return h;
    });
  }

  /** Every channel held here now, with what holds it. */
  List<Held> held() {
    long now = System.nanoTime();
    List<Held> out = new ArrayList<>(holds.size());
    holds.forEach((id, h) -> out.add(new Held(id, h.polls, h.streams,
        h.polls > 0 ? Math.max(0, (h.pollsUntil - now) / 1_000_000) : 0, h.topics)));
    return out;
  }

  /** Every topic a channel held here follows, with how many such channels (its subscribers here). */
  Map<String, Integer> heldTopics() {
    return new HashMap<>(followers);
  }

  /**
   * How many channels held here follow {@code topic} (at least 1: the one asking): the
   * subscribers this node reports for it. Cheap, for every read.
   */
  int followers(String topic) {
    return Math.max(1, followers.getOrDefault(topic, 1));
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
