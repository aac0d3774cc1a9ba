package dev.addressable.relay.cluster;

import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Inbox;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Lease;
import dev.addressable.relay.store.Stages;
import dev.addressable.relay.store.TopicId;
import dev.addressable.relay.store.Wakeups;
import dev.addressable.relay.transport.TooManyWaitersException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reading a channel from Redis (CLUSTER.md sections 4, 6 and 7): one script for the channel's own
 * inbox (read, hand out, confirm and lease in one step), then, for a channel that follows topics,
 * one script per topic, sent together (a script touches one hash tag); reads of one topic
 * position that wait together share that script ({@link SharedTopicReads}). Also the cursor a new
 * receiver starts at, and confirmations, which reach a channel's topics the same way.
 */
final class RedisReads {

  private static final String MAX_MESSAGES = Integer.toString(Inbox.MAX_MESSAGES_PER_READ);
  private static final String MAX_BYTES = Long.toString(Inbox.MAX_BYTES_PER_READ);

  private final StoreScripts scripts;
  private final StoreKeys keys;
  private final LocalHolds holds;
  private final OwedReleases owed;
  private final Supplier<Wakeups> wakeups;
  private final Consumer<ChannelId> leaving;
  private final String maxReceivers;
  private final SharedTopicReads shared = new SharedTopicReads(this::topicRead);

  /**
   * @param maxReceivers the most receivers one channel may hold at once across the cluster
   *     ({@code --max-polls-per-channel}): a poll past it is refused
   * @param leaving told of a channel a poll read here while its receiver was still leaving (the
   *     leaving page's last poll, on its way): its lease must not be owed
   */
  RedisReads(StoreScripts scripts, StoreKeys keys, LocalHolds holds, OwedReleases owed, Supplier<Wakeups> wakeups,
      int maxReceivers, Consumer<ChannelId> leaving) {
    this.leaving = leaving;
    this.maxReceivers = Integer.toString(maxReceivers);
    this.scripts = scripts;
    this.keys = keys;
    this.holds = holds;
    this.owed = owed;
    this.wakeups = wakeups;
  }

  CompletionStage<FeedCursor> open(ChannelId channel) {
    holds.used(channel);
    return scripts.run("open", keys.channel(channel), StoreKeys.subject(channel)).thenCompose(r -> {
      Cursor own = new Cursor(Replies.text(r, 0), Replies.number(r, 1));
      Map<String, Cursor> followed = Replies.topics(Replies.list(r, 2));
      if (followed.isEmpty()) {
        return Stages.done(FeedCursor.of(own));
      }
      Map<String, CompletableFuture<TopicPart>> ends = new LinkedHashMap<>();
      followed.keySet().forEach(t -> ends.put(t, topic(t, null, 0, "0", "").toCompletableFuture()));
      return CompletableFuture.allOf(ends.values().toArray(CompletableFuture[]::new)).thenApply(all -> {
        Map<String, Cursor> positions = new LinkedHashMap<>();
        ends.forEach((t, part) -> positions.put(t, part.join().cursor()));
        return new FeedCursor(own, positions);
      });
    });
  }

  CompletionStage<Batch> readAndLease(ChannelId channel, FeedCursor after, boolean confirms, Lease lease) {
    holds.used(channel);
    String leaseMs = leaseMillis(lease);
    String e0 = after == null ? "" : after.own().epoch();
    String c = after == null ? "0" : Long.toString(after.own().seq());
    AtomicBoolean leased = new AtomicBoolean();
    if (lease.isHeld()) {
      // Held here before the script runs, as the node registers its waiter first: a subscribe
      // through this node meanwhile then leases the topic for it.
      holds.take(channel, lease);
    }
    // The lease of this channel's last poll here, if still owed, is given back by this read.
    boolean givesBack = lease.kind() == Lease.Kind.POLL && owed.take(channel);
    if (givesBack) {
      holds.give(channel, lease);
    }
    AtomicBoolean full = new AtomicBoolean();
    return scripts.run("read", keys.channel(channel), StoreKeys.subject(channel), leaseMs, confirms ? "1" : "0", e0, c,
        MAX_MESSAGES, MAX_BYTES, maxReceivers, givesBack ? "1" : "0").exceptionallyCompose(failure -> {
          if (!StoreScripts.isFull(failure)) {
            return CompletableFuture.failedFuture(failure);
          }
          full.set(true); // Redis is full: read without writing, so receivers still get what is stored
          return scripts.run("read_nw", keys.channel(channel), StoreKeys.subject(channel), e0, c, MAX_MESSAGES,
              MAX_BYTES);
        }).thenCompose(r -> {
          boolean refused = r.size() > 6 && Replies.number(r, 6) == 1;
          if (lease.kind() == Lease.Kind.POLL && r.size() > 7 && Replies.number(r, 7) == 1) {
            leaving.accept(channel); // the leave may have hinted the nodes holding leases before this one held one
          }
          leased.set(lease.isHeld() && !full.get() && !refused);
          String epoch = Replies.text(r, 0);
          Map<String, Cursor> followed = Replies.topics(Replies.list(r, 4));
          holds.follows(channel, followed.keySet()); // if held here: its topics' leases are renewed too
          long raised = Replies.number(r, 3);
          if (raised >= 0) {
            wakeups.get().confirmed(channel, new Cursor(epoch, raised));
          }
          Cursor own = new Cursor(epoch, Replies.number(r, 1));
          List<Message> messages = Replies.messages(Replies.list(r, 5), null);
          boolean missed = Replies.number(r, 2) == 1;
          List<String> unsubscribed = unsubscribed(after, followed);
          if (followed.isEmpty()) {
            if (refused) {
              throw new TooManyWaitersException(Integer.parseInt(maxReceivers));
            }
            return Stages.done(new Batch(messages, FeedCursor.of(own), missed, unsubscribed));
          }
          CompletionStage<Batch> batch = topics(channel, after, confirms, followed, messages, lease).thenApply(parts -> {
            List<List<Message>> sources = new ArrayList<>(1 + parts.size());
            sources.add(messages);
            Map<String, Cursor> positions = new LinkedHashMap<>();
            boolean anyMissed = missed;
            for (Map.Entry<String, TopicPart> part : parts.entrySet()) {
              sources.add(part.getValue().messages());
              positions.put(part.getKey(), part.getValue().cursor());
              anyMissed |= part.getValue().missed();
            }
            return new Batch(Replies.merge(sources), new FeedCursor(own, positions), anyMissed, unsubscribed);
          });
          return refused ? leaseOrRefuse(channel, batch, leaseMs, leased) : batch;
        }).whenComplete((batch, failure) -> {
          if (failure == null || !lease.isHeld()) {
            return;
          }
          // Nobody gives back a lease whose read failed: if the channel's script took it in Redis
          // (a topic's part failed after it), give it back there; else only here.
          if (leased.get()) {
            giveBack(channel, lease);
          } else {
            holds.give(channel, lease);
          }
        });
  }

  /**
   * A poll whose lease the channel's script refused (the channel holds its most receivers across
   * the cluster): refused as the memory store refuses it, unless its topics had something to
   * answer at once; then it takes its lease after all, as it gives one back when answered.
   */
  private CompletionStage<Batch> leaseOrRefuse(ChannelId channel, CompletionStage<Batch> read, String leaseMs,
      AtomicBoolean leased) {
    return read.thenCompose(batch -> {
      if (!batch.isWorthAnswering()) {
        throw new TooManyWaitersException(Integer.parseInt(maxReceivers));
      }
      return scripts.run("lease", keys.channel(channel), StoreKeys.subject(channel), leaseMs).thenApply(r -> {
        leased.set(true);
        return batch;
      });
    });
  }

  /**
   * Gives back a lease {@link #readAndLease} took; the channel is seen now. A poll's lease is
   * owed instead ({@link OwedReleases}): the receiver's next poll here gives it back; unless the
   * channel's receiver said it is leaving, when no next poll is coming.
   */
  CompletionStage<Void> release(ChannelId channel, Lease lease) {
    if (lease.kind() == Lease.Kind.POLL && owed.owe(channel)) {
      return Stages.done();
    }
    return giveBack(channel, lease);
  }

  /** Gives back a lease now, here and in Redis: its receiver left now. */
  CompletionStage<Void> giveBack(ChannelId channel, Lease lease) {
    return giveBack(channel, lease, 0);
  }

  /** Gives back a lease now, here and in Redis, whose receiver left {@code agoMillis} ago. */
  CompletionStage<Void> giveBack(ChannelId channel, Lease lease, long agoMillis) {
    holds.give(channel, lease);
    return scripts.run("release", keys.channel(channel), StoreKeys.subject(channel), Long.toString(agoMillis))
        .thenApply(r -> null);
  }

  /**
   * The topics' parts of a read, from the reader's positions or where each subscription began;
   * with {@code confirms}, each part confirms the reader's position in its topic (one script per
   * topic either way).
   */
  private CompletionStage<Map<String, TopicPart>> topics(ChannelId channel, FeedCursor after, boolean confirms,
      Map<String, Cursor> followed, List<Message> own, Lease lease) {
    int room = Math.max(0, Inbox.MAX_MESSAGES_PER_READ - own.size());
    String member = lease.isHeld() ? StoreKeys.member(channel) : "";
    // A channel held here keeps this node leased on its topics, even on a re-read that takes no
    // lease of its own: it may have followed a topic since (subscribed through another node).
    String topicLease = lease.isHeld() ? leaseMillis(lease) : holds.isHeld(channel) ? "-1" : "0";
    Map<String, CompletableFuture<TopicPart>> reads = new LinkedHashMap<>();
    followed.forEach((t, start) -> {
      Cursor position = after == null ? null : after.topics().get(t);
      holds.usedTopic(t);
      reads.put(t, topic(t, position != null ? position : start, room, topicLease, member, holds.followers(t),
          confirms && position != null).toCompletableFuture());
    });
    return CompletableFuture.allOf(reads.values().toArray(CompletableFuture[]::new)).thenApply(all -> {
      Map<String, TopicPart> parts = new LinkedHashMap<>();
      reads.forEach((t, read) -> parts.put(t, read.join()));
      return parts;
    });
  }

  private record TopicPart(Cursor cursor, boolean missed, List<Message> messages) {}

  private CompletionStage<TopicPart> topic(String topic, Cursor from, int limit, String leaseMs, String member) {
    return topic(topic, from, limit, leaseMs, member, holds.followers(topic));
  }

  private CompletionStage<TopicPart> topic(String topic, Cursor from, int limit, String leaseMs, String member,
      int followers) {
    return topic(topic, from, limit, leaseMs, member, followers, false);
  }

  /**
   * One topic's part: after {@code from}, or its end for {@code null}; a lease taken reports
   * {@code followers} subscribers here; with {@code confirms}, {@code from} is confirmed first.
   */
  private CompletionStage<TopicPart> topic(String topic, Cursor from, int limit, String leaseMs, String member,
      int followers, boolean confirms) {
    SharedTopicReads.Question q = new SharedTopicReads.Question(topic, from == null ? "" : from.epoch(),
        from == null ? "0" : Long.toString(from.seq()), Integer.toString(limit), leaseMs, confirms);
    return shared.read(q, member, followers)
        .exceptionallyCompose(failure -> {
          if (!StoreScripts.isFull(failure)) {
            return CompletableFuture.failedFuture(failure);
          }
          return scripts.run("topic_read_nw", keys.topic(new TopicId(topic)), topic, q.epoch(), q.seq(), q.limit(),
              MAX_BYTES);
        })
        .thenApply(r -> new TopicPart(new Cursor(Replies.text(r, 0), Replies.number(r, 1)), Replies.number(r, 2) == 1,
            Replies.messages(Replies.list(r, 3), topic)));
  }

  /**
   * One topic read in Redis for {@code readers}, each counted as a subscriber (see {@link
   * SharedTopicReads}); a confirmation it raised hints this node's waiting senders once, however
   * many readers share it.
   */
  CompletionStage<List<Object>> topicRead(SharedTopicReads.Question q, List<String> readers, int followers) {
    List<String> args = new ArrayList<>(List.of(q.epoch(), q.seq(), q.limit(), MAX_BYTES, q.leaseMs(),
        readers.isEmpty() ? "" : readers.get(0), Integer.toString(followers), q.confirms() ? "1" : "0"));
    if (readers.size() > 1) {
      args.addAll(readers.subList(1, readers.size()));
    }
    return scripts.run("topic_read", keys.topic(new TopicId(q.topic())), q.topic(), args.toArray(String[]::new))
        .thenApply(r -> {
          long raised = Replies.number(r, 4);
          if (raised >= 0) {
            wakeups.get().confirmed(new TopicId(q.topic()), new Cursor(Replies.text(r, 0), raised));
          }
          return r;
        });
  }

  /**
   * Renews (or writes anew) this node's lease on a topic its receivers follow, reporting
   * {@code followers} subscribers here.
   *
   * @return the topic's top pair
   */
  CompletionStage<Cursor> renewTopic(String topic, int followers) {
    return topic(topic, null, 0, "-1", "", followers).thenApply(TopicPart::cursor);
  }

  /** The topic's end pair (making the topic if the store forgot it). */
  CompletionStage<Cursor> topicEnd(TopicId topic) {
    holds.usedTopic(topic.value());
    return topic(topic.value(), null, 0, "0", "").thenApply(TopicPart::cursor);
  }

  /**
   * The topic's end pair, for {@code channel} about to follow it: if a receiver here holds the
   * channel, this node takes its lease on the topic in the same step, so the next publish hints it.
   */
  CompletionStage<Cursor> topicEnd(TopicId topic, ChannelId channel) {
    holds.usedTopic(topic.value());
    boolean held = holds.isHeld(channel);
    return topic(topic.value(), null, 0, held ? "-1" : "0", "").thenApply(part -> {
      if (held) {
        holds.follow(channel, topic.value());
      }
      return part.cursor();
    });
  }

  CompletionStage<Void> confirm(ChannelId channel, FeedCursor cursor) {
    holds.used(channel);
    return scripts.run("confirm", keys.channel(channel), StoreKeys.subject(channel), cursor.own().epoch(),
        Long.toString(cursor.own().seq())).thenCompose(r -> {
          long raised = Replies.number(r, 1);
          if (raised >= 0) {
            wakeups.get().confirmed(channel, new Cursor(Replies.text(r, 0), raised));
          }
          return confirmTopics(cursor, Replies.topics(Replies.list(r, 2)));
        });
  }

  /** Confirms the topics of {@code cursor} the channel follows; hints this node's waiting senders. */
  private CompletionStage<Void> confirmTopics(FeedCursor cursor, Map<String, Cursor> followed) {
    List<CompletableFuture<?>> each = new ArrayList<>();
    cursor.topics().forEach((t, position) -> {
      if (followed.containsKey(t)) {
        TopicId topic = new TopicId(t);
        each.add(scripts.run("topic_confirm", keys.topic(topic), t, position.epoch(), Long.toString(position.seq()))
            .thenAccept(r -> {
              long raised = Replies.number(r, 1);
              if (raised >= 0) {
                wakeups.get().confirmed(topic, new Cursor(Replies.text(r, 0), raised));
              }
            }).toCompletableFuture());
      }
    });
    return each.isEmpty() ? Stages.done() : CompletableFuture.allOf(each.toArray(CompletableFuture[]::new));
  }

  private static List<String> unsubscribed(FeedCursor after, Map<String, Cursor> followed) {
    if (after == null || after.topics().isEmpty()) {
      return List.of();
    }
    List<String> gone = new ArrayList<>(0);
    after.topics().keySet().forEach(t -> {
      if (!followed.containsKey(t)) {
        gone.add(t);
      }
    });
    return gone;
  }

  /** A lease as the scripts take it: 0 none, -1 the renewable stream lease, else the poll's ms. */
  static String leaseMillis(Lease lease) {
    return switch (lease.kind()) {
      case NONE -> "0";
      case STREAM -> "-1";
      default -> Long.toString(Math.max(1, lease.length().toMillis()));
    };
  }
}
