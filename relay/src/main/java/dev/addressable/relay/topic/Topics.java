package dev.addressable.relay.topic;

import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.event.RelayEvents;
import dev.addressable.relay.inbox.Inbox;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.memory.MemoryFullException;
import dev.addressable.relay.parking.OverloadedException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The topics the memory store holds, by id ({@link TopicKeys} says which ids are genuine). A
 * topic is made when first used (after a restart, with an empty log) and forgotten once nobody
 * follows it and it was not used for the expiry. Thread-safe.
 */
public final class Topics {

  private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
  private final InboxConfig config;
  private final LongSupplier clock;
  private final RelayEvents events;
  private final MemoryBudget budget;
  private final Duration expiry;
  private final int maxTopics;

  public Topics(InboxConfig config, LongSupplier clock, RelayEvents events, MemoryBudget budget, Duration expiry,
      int maxTopics) {
    this.config = config;
    this.clock = clock;
    this.events = events;
    this.budget = budget;
    this.expiry = expiry;
    this.maxTopics = maxTopics;
  }

  /** What a publish did. */
  public record Published(long seq, int subscribers) {}

  /**
   * The topic, made anew if it is not held (after a restart); only call with a genuine id. Marks
   * it used.
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
      return new Topic(key, log, now);
    });
    topic.touch(now);
    return topic;
  }

  /** The topic if it is held, or {@code null}; does not mark it used. */
  public Topic find(String id) {
    return topics.get(id);
  }

  /** Appends {@code body} (admitted for one log) to the topic's log once. Waking its readers is the caller's next step. */
  public Published publish(Topic topic, Message.Body body) {
    long seq = topic.log().append(body);
    topic.touch(clock.getAsLong());
    return new Published(seq, topic.subscribers());
  }

  public int size() {
    return topics.size();
  }

  /** Forgets topics nobody follows that were not used for the expiry, with their logs. */
  public void sweep() {
    long cutoff = clock.getAsLong() - expiry.toMillis();
    for (String id : topics.keySet()) {
      topics.computeIfPresent(id, (key, t) -> {
        if (t.subscribers() > 0 || t.lastUsed() >= cutoff) {
          return t;
        }
        t.log().close();
        budget.release(MemoryBudget.TOPIC);
        return null;
      });
    }
  }
}
