package dev.addressable.relay.feed;

import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Inbox;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.inbox.ReadResult;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.memory.MemoryFullException;
import dev.addressable.relay.topic.Topic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What one channel receives, as the memory store keeps it: its own inbox and the topics it
 * follows, read together with one {@link FeedCursor}, and how far its receivers confirmed. Who
 * waits for it is the node's business, not the feed's.
 *
 * <p>Thread-safe. Its lock guards subscribing, unsubscribing and the confirmed position; it is
 * never held while a log is read.
 */
public final class Feed {

  private final Inbox inbox;
  private final MemoryBudget budget;
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  /** How far its own messages are confirmed; written under the lock. */
  private volatile Cursor confirmed;

  /** A topic this feed follows, and where in its log the following began. */
  private record Subscription(Topic topic, Cursor start) {}

  public Feed(Inbox inbox) {
    this(inbox, MemoryBudget.unlimited());
  }

  /** @param budget charged for each topic this feed follows */
  public Feed(Inbox inbox, MemoryBudget budget) {
    this.inbox = inbox;
    this.budget = budget;
    this.confirmed = new Cursor(inbox.epoch(), 0);
  }

  public Inbox inbox() {
    return inbox;
  }

  /** A cursor after everything there is now: a new receiver starts here. */
  public FeedCursor end() {
    if (subscriptions.isEmpty()) {
      return FeedCursor.of(inbox.end());
    }
    Map<String, Cursor> topics = new LinkedHashMap<>();
    subscriptions.forEach((id, s) -> topics.put(id, s.topic().log().end()));
    return new FeedCursor(inbox.end(), topics);
  }

  /**
   * Everything after {@code after}, from every source, each source in order; at most
   * {@link Inbox#MAX_MESSAGES_PER_READ} messages in all.
   *
   * @throws IllegalArgumentException if a position is of the right epoch but ahead of its log
   */
  public Batch read(FeedCursor after) {
    int limit = Inbox.MAX_MESSAGES_PER_READ;
    ReadResult own = inbox.read(after.own(), limit);
    if (subscriptions.isEmpty()) { // a channel that follows no topic: its inbox is all there is
      return new Batch(own.messages(), FeedCursor.of(own.cursor()), own.missed(), unsubscribed(after));
    }
    boolean missed = own.missed();
    List<List<Message>> sources = new ArrayList<>(1 + subscriptions.size());
    sources.add(own.messages());
    int count = own.messages().size();
    Map<String, Cursor> positions = new LinkedHashMap<>();
    for (Subscription s : subscriptions.values()) {
      String id = s.topic().id();
      Cursor from = after.topics().getOrDefault(id, s.start());
      if (count >= limit) {
        positions.put(id, from);
        continue;
      }
      ReadResult r = s.topic().log().read(from, limit - count);
      missed |= r.missed();
      sources.add(r.messages());
      count += r.messages().size();
      positions.put(id, r.cursor());
    }
    return new Batch(merge(sources, count), new FeedCursor(own.cursor(), positions), missed, unsubscribed(after));
  }

  /**
   * The topics {@code after} names that this channel does not follow: after a restart or an idle
   * expiry the relay forgot them, and the receiver is told so it can subscribe again.
   */
  private List<String> unsubscribed(FeedCursor after) {
    if (after.topics().isEmpty()) {
      return List.of();
    }
    List<String> gone = null;
    for (String id : after.topics().keySet()) {
      if (!subscriptions.containsKey(id)) {
        if (gone == null) {
          gone = new ArrayList<>(1);
        }
        gone.add(id);
      }
    }
    return gone == null ? List.of() : gone;
  }

  /** Merges sources by time, keeping each source's own order. */
  private static List<Message> merge(List<List<Message>> sources, int count) {
    if (sources.size() == 1 || count == sources.get(0).size()) {
      return sources.get(0);
    }
    List<Message> out = new ArrayList<>(count);
    int[] next = new int[sources.size()];
    while (out.size() < count) {
      int best = -1;
      for (int s = 0; s < sources.size(); s++) {
        List<Message> source = sources.get(s);
        if (next[s] < source.size() && (best < 0 || source.get(next[s]).ts() < sources.get(best).get(next[best]).ts())) {
          best = s;
        }
      }
      out.add(sources.get(best).get(next[best]++));
    }
    return out;
  }

  /**
   * Follows {@code topic} from its current end. Following it again changes nothing.
   *
   * @throws TooManyTopicsException if the feed follows {@code maxTopics} already
   * @throws MemoryFullException if the memory budget has no room for one more subscription
   */
  public synchronized boolean subscribe(Topic topic, int maxTopics) {
    if (subscriptions.containsKey(topic.id())) {
      return false;
    }
    if (subscriptions.size() >= maxTopics) {
      throw new TooManyTopicsException(maxTopics);
    }
    budget.reserveOrThrow(MemoryBudget.SUBSCRIPTION, "a subscription");
    subscriptions.put(topic.id(), new Subscription(topic, topic.log().end()));
    topic.subscribed();
    return true;
  }

  public synchronized boolean unsubscribe(String topicId) {
    Subscription s = subscriptions.remove(topicId);
    if (s == null) {
      return false;
    }
    s.topic().unsubscribed();
    budget.release(MemoryBudget.SUBSCRIPTION);
    return true;
  }

  /** Leaves every topic; the channel is being dropped. */
  public void unsubscribeAll() {
    for (String id : List.copyOf(subscriptions.keySet())) {
      unsubscribe(id);
    }
  }

  /**
   * Checks that no position of {@code cursor} is of a log's epoch but past its last message (a
   * cursor nobody handed out, which would confirm messages nobody read).
   *
   * @throws IllegalArgumentException if one is
   */
  public void checkHandedOut(FeedCursor cursor) {
    if (inbox.isAhead(cursor.own())) {
      throw new IllegalArgumentException("the cursor is ahead of this channel's inbox: it was not handed out here");
    }
    cursor.topics().forEach((id, position) -> {
      Subscription s = subscriptions.get(id);
      if (s != null && s.topic().log().isAhead(position)) {
        throw new IllegalArgumentException("the cursor is ahead of a topic's log: it was not handed out here");
      }
    });
  }

  /**
   * A receiver has processed everything before {@code cursor}, a cursor a read accepted: raises
   * how far the channel's own messages and each followed topic's are confirmed.
   *
   * @param raisedTopics told of each topic whose confirmed position this raised
   * @return whether this raised the channel's own confirmed position
   */
  public boolean confirm(FeedCursor cursor, Consumer<Topic> raisedTopics) {
    boolean raised = false;
    Cursor own = cursor.own();
    if (own.seq() > confirmed.seq() && own.epoch().equals(inbox.epoch())) {
      synchronized (this) {
        if (own.seq() > confirmed.seq()) {
          confirmed = own;
          raised = true;
        }
      }
    }
    if (!cursor.topics().isEmpty()) {
      cursor.topics().forEach((id, position) -> {
        Subscription s = subscriptions.get(id);
        if (s != null && s.topic().confirm(position)) {
          raisedTopics.accept(s.topic());
        }
      });
    }
    return raised;
  }

  /** How far the channel's own messages are confirmed (seq 0: nothing yet). */
  public Cursor confirmed() {
    return confirmed;
  }
}
