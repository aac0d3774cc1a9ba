package dev.addressable.relay.feed;

import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Inbox;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.inbox.ReadResult;
import dev.addressable.relay.inbox.Receipts;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.memory.MemoryFullException;
import dev.addressable.relay.parking.Parked;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.topic.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one channel receives: its own inbox and the topics it follows, read together with one
 * {@link FeedCursor}, and the receivers parked waiting for either.
 *
 * <p>Parking registers the waiter first and reads second; an append wakes after it has appended.
 * So a message that lands between the two is never lost: either the read sees it or the wake
 * finds the waiter. A waiter may rarely be woken with nothing new (a spurious wake-up); the
 * receiver then simply asks again.
 *
 * <p>Thread-safe. The lock guards the waiting list only and is never held while answering.
 */
public final class Feed implements Topic.Subscriber {

  private final Inbox inbox;
  private final Receipts receipts;
  private final MemoryBudget budget;
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final List<Waiter> waiters = new ArrayList<>(2);
  private volatile int waiting;

  private record Waiter(Parked<Batch> parked, FeedCursor after) {}

  /** A topic this feed follows, and where in its log the following began. */
  private record Subscription(Topic topic, Cursor start) {}

  public Feed(Inbox inbox, Parker parker) {
    this(inbox, parker, MemoryBudget.unlimited());
  }

  /** @param budget charged for each topic this feed follows */
  public Feed(Inbox inbox, Parker parker, MemoryBudget budget) {
    this.inbox = inbox;
    this.receipts = new Receipts(parker);
    this.budget = budget;
  }

  public Inbox inbox() {
    return inbox;
  }

  /** A cursor after everything there is now: a new receiver starts here. */
  public FeedCursor end() {
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
   * Answers at once if anything is there after {@code after} (or was missed); else leaves
   * {@code parked} waiting for the next append to any source.
   *
   * @return the answer, or {@code null} if parked (then {@code parked} answers when woken)
   * @throws TooManyWaitersException if {@code maxWaiters} receivers wait here already
   */
  public Batch readOrPark(FeedCursor after, Parked<Batch> parked, int maxWaiters) {
    synchronized (this) {
      if (waiters.size() >= maxWaiters) {
        throw new TooManyWaitersException(maxWaiters);
      }
      waiters.add(new Waiter(parked, after));
      waiting = waiters.size();
    }
    Batch now = read(after);
    if (now.isWorthAnswering() && parked.discard()) {
      return now;
    }
    return null;
  }

  /** Takes {@code parked} off the waiting list, if it is on it. */
  public void unpark(Parked<Batch> parked) {
    synchronized (this) {
      waiters.removeIf(w -> w.parked == parked);
      waiting = waiters.size();
    }
  }

  /**
   * Answers every parked receiver with what is new for it. Call after appending to any source.
   *
   * @return how many were answered
   */
  @Override
  public int wake() {
    List<Waiter> toWake;
    synchronized (this) {
      if (waiters.isEmpty()) {
        return 0;
      }
      toWake = new ArrayList<>(waiters);
      waiters.clear();
      waiting = 0;
    }
    int woken = 0;
    for (Waiter w : toWake) {
      if (w.parked.complete(() -> read(w.after))) {
        woken++;
      }
    }
    return woken;
  }

  public synchronized int waiterCount() {
    return waiters.size();
  }

  /** Whether a receiver waits here now; a lock-free read, for counts that may be a moment stale. */
  @Override
  public boolean isWaiting() {
    return waiting > 0;
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
    topic.subscribers().add(this);
    return true;
  }

  public synchronized boolean unsubscribe(String topicId) {
    Subscription s = subscriptions.remove(topicId);
    if (s == null) {
      return false;
    }
    s.topic().subscribers().remove(this);
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
   * A receiver says it has processed everything before {@code cursor} ({@code /ack}, a WebSocket
   * ack): checked first, since a cursor past what was handed out would confirm messages nobody
   * read.
   *
   * @throws IllegalArgumentException if a position is of a log's epoch but past its last message
   */
  public void acknowledge(FeedCursor cursor) {
    if (inbox.isAhead(cursor.own())) {
      throw new IllegalArgumentException("the cursor is ahead of this channel's inbox: it was not handed out here");
    }
    cursor.topics().forEach((id, position) -> {
      Subscription s = subscriptions.get(id);
      if (s != null && s.topic().log().isAhead(position)) {
        throw new IllegalArgumentException("the cursor is ahead of a topic's log: it was not handed out here");
      }
    });
    confirm(cursor);
  }

  /**
   * A receiver has processed everything before {@code cursor}, a cursor a read accepted: answers
   * senders waiting for a receipt of those messages (the channel's own, and each topic's).
   */
  public void confirm(FeedCursor cursor) {
    if (cursor.own().epoch().equals(inbox.epoch())) {
      receipts.confirm(cursor.own().seq());
    }
    cursor.topics().forEach((id, position) -> {
      Subscription s = subscriptions.get(id);
      if (s != null) {
        s.topic().confirm(position);
      }
    });
  }

  /** Completes with whether the channel's own message {@code seq} is confirmed within {@code wait}. */
  public CompletableFuture<Boolean> awaitReceipt(long seq, Duration wait) {
    return receipts.await(seq, wait);
  }
}
