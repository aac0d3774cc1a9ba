package dev.addressable.relay.transport;

import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.store.TopicId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The receivers at this node, one {@link Room} per channel, and which rooms follow which topic:
 * where the store's hints of new messages ({@link dev.addressable.relay.store.Wakeups}) become
 * answers. A hint for one channel wakes its room on the calling thread; a hint that reaches many
 * rooms (a topic's, a client's of more than {@value #INLINE_WAKE_LIMIT} tabs) wakes them all in
 * one task on the bulk executor (one of the relay's selector threads), so the sender's answer
 * does not wait for thousands of them. Thread-safe.
 */
public final class Receivers {

  /** Client-wide sends to more channels than this wake them in one task on the bulk executor, as topics do. */
  public static final int INLINE_WAKE_LIMIT = 64;

  private final ConcurrentHashMap<ChannelId, Room> rooms = new ConcurrentHashMap<>();
  /** Topic id to the rooms following it; changed under {@link #index}'s lock. */
  private final Map<String, Set<Room>> byTopic = new ConcurrentHashMap<>();
  private final Object index = new Object();
  private final Store store;
  private final Executor bulk;
  private final Executor executor;
  private final LongSupplier clock;

  /**
   * @param bulk where wake-ups of many rooms run, in one task each
   * @param executor where work goes that a store's later answer brings (the relay's pool)
   */
  public Receivers(Store store, Executor bulk, Executor executor, LongSupplier clock) {
    this.store = store;
    this.bulk = bulk;
    this.executor = executor;
    this.clock = clock;
  }

  Store store() {
    return store;
  }

  Executor executor() {
    return executor;
  }

  /** The channel's room, or {@code null} if this node has none. */
  public Room find(ChannelId channel) {
    return rooms.get(channel);
  }

  /** The channel's room, made if this node has none: only for a receiver whose key was proven. */
  public Room room(ChannelId channel) {
    Room room = rooms.get(channel);
    return room != null ? room : rooms.computeIfAbsent(channel, id -> new Room(id, clock.getAsLong()));
  }

  /**
   * Puts {@code waiter} on its channel's waiting list, in a room that is not retired.
   *
   * @throws TooManyWaitersException if {@code maxWaiters} wait there already
   */
  void enter(Waiter waiter, int maxWaiters) {
    long now = clock.getAsLong();
    Room room = waiter.room();
    while (!room.add(waiter, maxWaiters, now)) {
      rooms.remove(room.channel(), room);
      room = room(room.channel());
      waiter.moveTo(room);
    }
  }

  /** How many receivers wait on the channel at this node now. */
  public int waiterCount(ChannelId channel) {
    Room room = rooms.get(channel);
    return room == null ? 0 : room.waiterCount();
  }

  /** New messages for one channel: its waiters read again, on this thread. */
  public int wake(ChannelId channel) {
    Room room = rooms.get(channel);
    return room == null || !room.isWaiting() ? 0 : room.wake();
  }

  /** New messages for each of {@code channels}; see {@link dev.addressable.relay.store.Wakeups#channels}. */
  public void wake(List<ChannelId> channels, int[] reached) {
    if (channels.size() <= INLINE_WAKE_LIMIT) {
      for (int i = 0; i < channels.size(); i++) {
        reached[i] = wake(channels.get(i));
      }
      return;
    }
    List<Room> waiting = new ArrayList<>();
    for (int i = 0; i < channels.size(); i++) {
      Room room = rooms.get(channels.get(i));
      if (room != null && room.isWaiting()) {
        reached[i] = 1;
        waiting.add(room);
      }
    }
    if (!waiting.isEmpty()) {
      bulk.execute(() -> waiting.forEach(Room::wake)); // in one go: see SelectorExecutor
    }
  }

  /** A new message in the topic: the rooms following it read again, in one task. */
  public int wake(TopicId topic) {
    return eachFollowing(topic, Room::wake);
  }

  /**
   * Hands every room following {@code topic} to {@code wake}, in one task on the bulk executor
   * (in one go: see SelectorExecutor).
   *
   * @return how many of those rooms had waiters
   */
  private int eachFollowing(TopicId topic, Consumer<Room> wake) {
    Set<Room> following = byTopic.get(topic.value());
    if (following == null || following.isEmpty()) {
      return 0;
    }
    List<Room> rooms = new ArrayList<>(following);
    int listening = 0;
    for (Room room : rooms) {
      if (room.isWaiting()) {
        listening++;
      }
    }
    bulk.execute(() -> rooms.forEach(wake));
    return listening;
  }

  /**
   * A new message in the topic, at {@code top}: in one task, waiters of the rooms following it
   * whose position on it is just before are answered with it, without a read; the others read
   * again.
   *
   * @return how many rooms following it had waiters
   */
  public int wake(TopicId topic, Cursor top, Message message) {
    String id = topic.value();
    return eachFollowing(topic, room -> room.each(waiter -> waiter.offer(id, top, message)));
  }

  /**
   * The channel's inbox ends at {@code top}: only its waiters whose position is elsewhere read
   * again, on this thread (the safety net for lost hints).
   *
   * @return how many were told to read
   */
  public int wakeBehind(ChannelId channel, Cursor top) {
    Room room = rooms.get(channel);
    return room == null || !room.isWaiting() ? 0 : room.wake(waiter -> waiter.isBehind(top));
  }

  /**
   * The topic's log ends at {@code top}: waiters of the rooms following it whose position on it
   * is elsewhere read again, in one task on the bulk executor.
   *
   * @return how many rooms follow the topic here
   */
  public int wakeBehind(TopicId topic, Cursor top) {
    Set<Room> following = byTopic.get(topic.value());
    if (following == null || following.isEmpty()) {
      return 0;
    }
    List<Room> rooms = new ArrayList<>(following);
    bulk.execute(() -> rooms.forEach(room -> room.wake(waiter -> waiter.isBehind(topic.value(), top))));
    return rooms.size();
  }

  /** The channel follows the topic from now on (before the store is told, so no publish goes unhinted). */
  public void follow(ChannelId channel, TopicId topic) {
    Room room = room(channel);
    synchronized (index) {
      add(room, topic.value());
    }
  }

  /** The channel no longer follows the topic. */
  public void unfollow(ChannelId channel, TopicId topic) {
    Room room = rooms.get(channel);
    if (room == null) {
      return;
    }
    synchronized (index) {
      Set<String> next = new HashSet<>(room.follows);
      if (next.remove(topic.value())) {
        room.follows = Set.copyOf(next);
        Set<Room> following = byTopic.get(topic.value());
        if (following != null) {
          following.remove(room);
          if (following.isEmpty()) {
            byTopic.remove(topic.value());
          }
        }
      }
    }
  }

  /**
   * Learns from a read which topics the room's channel follows (one may have been subscribed
   * through another node, or before this room was made).
   *
   * @return whether the room follows a topic it did not before: a publish meanwhile went
   *     unhinted here, so the reader reads again
   */
  boolean learn(Room room, FeedCursor read) {
    Map<String, ?> topics = read.topics();
    if (topics.isEmpty() || room.follows.containsAll(topics.keySet())) {
      return false;
    }
    synchronized (index) {
      for (String id : topics.keySet()) {
        add(room, id);
      }
    }
    return true;
  }

  private void add(Room room, String topic) {
    if (!room.follows.contains(topic)) {
      Set<String> next = new HashSet<>(room.follows);
      next.add(topic);
      room.follows = Set.copyOf(next);
    }
    byTopic.computeIfAbsent(topic, id -> ConcurrentHashMap.newKeySet()).add(room);
  }

  /**
   * Answers every receiver waiting here with {@code failure}: the store cannot serve them for now,
   * so long-polls get the error (503 with a retry hint) and streams close with it, and their
   * clients come back, here or at another relay, rather than wait on a store that hints nobody.
   */
  public void releaseAll(RuntimeException failure) {
    rooms.values().forEach(room -> room.releaseAll(failure));
  }

  /** Rooms made here, for tests and gauges. */
  public int size() {
    return rooms.size();
  }

  /** Retires rooms nobody waited in since {@code idleMillis} ago (their next receiver makes a new one). */
  public void sweep(long idleMillis) {
    long cutoff = clock.getAsLong() - idleMillis;
    for (Room room : rooms.values()) {
      if (room.retireIfUnusedSince(cutoff)) {
        rooms.remove(room.channel(), room);
        synchronized (index) {
          for (String topic : room.follows) {
            Set<Room> following = byTopic.get(topic);
            if (following != null) {
              following.remove(room);
              if (following.isEmpty()) {
                byTopic.remove(topic);
              }
            }
          }
        }
      }
    }
  }
}
