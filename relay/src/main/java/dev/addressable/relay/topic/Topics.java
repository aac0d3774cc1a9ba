package dev.addressable.relay.topic;

import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.event.RelayEvents;
import dev.addressable.relay.inbox.Inbox;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.inbox.Receipts;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.memory.MemoryFullException;
import dev.addressable.relay.parking.OverloadedException;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.secret.KeyRing;
import java.security.MessageDigest;
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
 * The relay's topics, and the three capabilities each one has, all derived under the relay secret
 * so nothing is stored to check them and they survive a restart:
 *
 * <ul>
 *   <li>the <b>publish token</b>, in the publish URL {@code /t/<token>}: 16 random bytes and an
 *       8-byte tag, so the relay tells its own tokens from guesses. Only the creator gets it.
 *   <li>the <b>id</b>, which subscribers see in every message ({@code "topic"}) and in their
 *       cursor: derived one way from the token (16 bytes of a MAC of it, and a tag of its own), so
 *       it names the topic without being able to publish to it.
 *   <li>the <b>subscribe key</b>, derived from the id: whoever holds it may subscribe a channel.
 * </ul>
 *
 * <p>After a restart, a publish with a genuine token or a subscribe with a genuine id brings the
 * topic back (with an empty log). A publish appends once, then wakes the subscribers' feeds on the
 * executor, in one task, so the publisher's answer does not wait for 10,000 wake-ups. Thread-safe.
 */
public final class Topics {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();
  private static final int TOKEN_LENGTH = 32;

  private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final KeyRing keys;
  private final InboxConfig config;
  private final Parker parker;
  private final Executor executor;
  private final LongSupplier clock;
  private final RelayEvents events;
  private final MemoryBudget budget;
  private final Duration expiry;
  private final int maxTopics;

  public Topics(KeyRing keys, InboxConfig config, Parker parker, Executor executor, LongSupplier clock,
      RelayEvents events, MemoryBudget budget, Duration expiry, int maxTopics) {
    this.keys = keys;
    this.config = config;
    this.parker = parker;
    this.executor = executor;
    this.clock = clock;
    this.events = events;
    this.budget = budget;
    this.expiry = expiry;
    this.maxTopics = maxTopics;
  }

  /** What a publish did. */
  public record Published(long seq, int subscribers, int listening) {}

  /** A new topic's capabilities. */
  public record Created(Topic topic, String publishToken, String subscribeKey) {}

  /**
   * Makes a new topic.
   *
   * @throws OverloadedException past the relay's topic limit
   * @throws MemoryFullException if the memory budget has no room for it
   */
  public Created create() {
    byte[] raw = new byte[16];
    random.nextBytes(raw);
    String token = tagged(raw, "topic-id"); // the tag's name predates the split: old publish URLs stay valid
    String id = idOf(token);
    Topic topic = get(id);
    return new Created(topic, token, subscribeKey(id));
  }

  /** Whether {@code token} is a publish token this relay (or one sharing its secret) made. */
  public boolean isPublishToken(String token) {
    return isTagged(token, "topic-id");
  }

  /** Whether {@code id} is a topic id this relay (or one sharing its secret) made. */
  public boolean isId(String id) {
    return isTagged(id, "topic-public-id");
  }

  /** The id subscribers see of the topic whose publish token is {@code token} (a genuine one). */
  public String idOf(String token) {
    byte[] mac = keys.tag("topic-public", token.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 16);
    return tagged(mac, "topic-public-id");
  }

  /** The capability that lets a channel subscribe to the topic {@code id}. */
  public String subscribeKey(String id) {
    return keys.tokenFor("subscribe", id);
  }

  public boolean verifySubscribeKey(String id, String key) {
    return keys.verify("subscribe", id, key);
  }

  /** 16 bytes and an 8-byte tag of them under {@code purpose}, as 32 chars of base64url. */
  private String tagged(byte[] raw, String purpose) {
    byte[] out = Arrays.copyOf(raw, 24);
    System.arraycopy(keys.tag(purpose, raw, 8), 0, out, 16, 8);
    return B64.encodeToString(out);
  }

  private boolean isTagged(String value, String purpose) {
    if (value == null || value.length() != TOKEN_LENGTH) {
      return false;
    }
    byte[] bytes;
    try {
      bytes = B64_DECODER.decode(value);
    } catch (IllegalArgumentException e) {
      return false;
    }
    byte[] raw = Arrays.copyOf(bytes, 16);
    return MessageDigest.isEqual(keys.tag(purpose, raw, 8), Arrays.copyOfRange(bytes, 16, 24));
  }

  /**
   * The topic, made anew if this relay does not hold it (after a restart); only call with a
   * genuine id.
   *
   * @throws OverloadedException past the relay's topic limit
   * @throws MemoryFullException if the memory budget has no room for a new topic
   */
  public Topic get(String id) {
    long now = clock.getAsLong();
    Topic topic = topics.computeIfAbsent(id, key -> {
      if (topics.size() >= maxTopics) {
        throw new OverloadedException("the relay holds " + maxTopics + " topics already");
      }
      budget.reserveOrThrow(MemoryBudget.TOPIC, "a new topic");
      Inbox log = new Inbox(config, clock, RelayEvents.ofLog(events, null, null, key, clock), key);
      return new Topic(key, log, new Receipts(parker), now);
    });
    topic.touch(now);
    return topic;
  }

  /**
   * Appends {@code body} (admitted for one log) to the topic's log once and wakes its subscribers
   * without waiting for them.
   */
  public Published publish(Topic topic, Message.Body body) {
    long seq = topic.log().append(body);
    topic.touch(clock.getAsLong());
    List<Topic.Subscriber> subscribers = new ArrayList<>(topic.subscribers());
    int listening = 0;
    for (Topic.Subscriber subscriber : subscribers) {
      if (subscriber.isWaiting()) {
        listening++;
      }
    }
    executor.execute(() -> subscribers.forEach(Topic.Subscriber::wake)); // in one go: see SelectorExecutor
    return new Published(seq, subscribers.size(), listening);
  }

  public int size() {
    return topics.size();
  }

  /** Forgets topics nobody follows that were not used for the expiry, with their logs. */
  public void sweep() {
    long cutoff = clock.getAsLong() - expiry.toMillis();
    for (String id : topics.keySet()) {
      topics.computeIfPresent(id, (key, t) -> {
        if (!t.subscribers().isEmpty() || t.lastUsed() >= cutoff) {
          return t;
        }
        t.log().close();
        budget.release(MemoryBudget.TOPIC);
        return null;
      });
    }
  }
}
