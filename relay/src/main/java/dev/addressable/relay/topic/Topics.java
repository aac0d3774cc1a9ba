package dev.addressable.relay.topic;

import dev.addressable.relay.address.KeyRing;
import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.feed.Feed;
import dev.addressable.relay.feed.Receipts;
import dev.addressable.relay.inbox.Inbox;
import dev.addressable.relay.inbox.InboxEvents;
import dev.addressable.relay.parking.OverloadedException;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.webhook.PresenceEvents;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The relay's topics. A topic id is 16 random bytes and an 8-byte tag made with the relay secret,
 * so the relay can tell its own ids from guesses without storing them: after a restart, a
 * publish or subscribe with a genuine id brings the topic back (with an empty log). The
 * subscribe key is a second capability derived from the id; the id alone lets you publish.
 *
 * <p>A publish appends once, then wakes the subscribers' feeds on the executor, in one task, so
 * the publisher's answer does not wait for 10,000 wake-ups. Thread-safe.
 */
public final class Topics {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final KeyRing keys;
  private final InboxConfig config;
  private final Parker parker;
  private final Executor executor;
  private final LongSupplier clock;
  private final InboxEvents events;
  private final PresenceEvents presence;
  private final Duration expiry;
  private final int maxTopics;

  public Topics(KeyRing keys, InboxConfig config, Parker parker, Executor executor, LongSupplier clock,
      InboxEvents events, Duration expiry, int maxTopics) {
    this(keys, config, parker, executor, clock, events, PresenceEvents.NONE, expiry, maxTopics);
  }

  public Topics(KeyRing keys, InboxConfig config, Parker parker, Executor executor, LongSupplier clock,
      InboxEvents events, PresenceEvents presence, Duration expiry, int maxTopics) {
    this.presence = presence;
    this.keys = keys;
    this.config = config;
    this.parker = parker;
    this.executor = executor;
    this.clock = clock;
    this.events = events;
    this.expiry = expiry;
    this.maxTopics = maxTopics;
  }

  /** What a publish did. */
  public record Published(long seq, int subscribers, int listening) {}

  /** Makes a new topic. */
  public Topic create() {
    byte[] raw = new byte[16];
    random.nextBytes(raw);
    byte[] id = Arrays.copyOf(raw, 24);
    System.arraycopy(keys.tag("topic-id", raw, 8), 0, id, 16, 8);
    return get(B64.encodeToString(id));
  }

  /** Whether {@code id} is one this relay (or one sharing its secret) made. */
  public boolean isGenuine(String id) {
    if (id == null || id.length() != 32) {
      return false;
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(id);
    } catch (IllegalArgumentException e) {
      return false;
    }
    byte[] raw = Arrays.copyOf(bytes, 16);
    return java.security.MessageDigest.isEqual(keys.tag("topic-id", raw, 8), Arrays.copyOfRange(bytes, 16, 24));
  }

  /** The capability that lets a channel subscribe to {@code id}. */
  public String subscribeKey(String id) {
    return keys.tokenFor("subscribe", id);
  }

  public boolean verifySubscribeKey(String id, String key) {
    return keys.verify("subscribe", id, key);
  }

  /**
   * The topic, made anew if this relay does not hold it (after a restart) — only call with a
   * genuine id.
   *
   * @throws OverloadedException past the relay's topic limit
   */
  public Topic get(String id) {
    long now = clock.getAsLong();
    Topic topic = topics.computeIfAbsent(id, key -> {
      if (topics.size() >= maxTopics) {
        throw new OverloadedException("the relay holds " + maxTopics + " topics already");
      }
      InboxEvents topicEvents = new InboxEvents() {
        @Override public void expired(int count) {
          events.expired(count);
        }

        @Override public void evicted(int count) {
          events.evicted(count);
        }

        @Override public void droppedUnread(dev.addressable.relay.inbox.Message message, String reason) {
          presence.expired(null, null, key, message, reason, clock.getAsLong());
        }
      };
      return new Topic(key, new Inbox(config, clock, topicEvents, key), new Receipts(parker), now);
    });
    topic.touch(now);
    return topic;
  }

  /** Appends to the topic's log once and wakes its subscribers without waiting for them. */
  public Published publish(Topic topic, String data, int bytes, long ttlMillis) {
    long seq = topic.log().append(data, bytes, ttlMillis);
    topic.touch(clock.getAsLong());
    List<Feed> feeds = new ArrayList<>(topic.subscribers());
    int listening = 0;
    for (Feed feed : feeds) {
      if (feed.isWaiting()) {
        listening++;
      }
    }
    executor.execute(() -> feeds.forEach(Feed::wake)); // in one go: see SelectorExecutor
    return new Published(seq, feeds.size(), listening);
  }

  public int size() {
    return topics.size();
  }

  /** Forgets topics nobody follows that were not used for the expiry. */
  public void sweep() {
    long cutoff = clock.getAsLong() - expiry.toMillis();
    for (String id : topics.keySet()) {
      topics.computeIfPresent(id, (key, t) -> t.subscribers().isEmpty() && t.lastUsed() < cutoff ? null : t);
    }
  }
}
