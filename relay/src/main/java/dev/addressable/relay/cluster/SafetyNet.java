package dev.addressable.relay.cluster;

import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Stages;
import dev.addressable.relay.store.TopicId;
import dev.addressable.relay.store.Wakeups;
import io.lettuce.core.KeyValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety nets of CLUSTER.md section 6, which make a lost hint cost latency, never a message.
 *
 * <p><b>Position check</b>, every {@link #period}: one pipelined batch over every channel a
 * stream holds here and every topic held here renews the stream leases (and the topic leases
 * streams need) and reads each top pair ({@code HMGET e s} where nothing needs renewing); local
 * waiters whose cursor is behind that pair read again ({@link Wakeups#channelBehind}). A lost
 * hint thus costs a stream at most about one period. Channels only polls hold are left out: a
 * poll reads again when its receiver comes back after its timeout, so a lost hint costs it at
 * most what is left of its wait, and reading 100,000 of them every 10 s was most of what idle
 * polls cost Redis (issue 17). Every known way to lose hints asks for a re-sweep instead.
 *
 * <p><b>Re-sweep</b>, when hints may have been lost in bulk (the pub/sub connection subscribed
 * again, the probe found it deaf, the hint queue dropped some, the node became ready again,
 * Redis's incarnation changed: a restart, a promotion, a flush, which drop leases): the same
 * batch over every channel held here, polls too, and every lease held here is written anew,
 * since a send whose {@code PUBLISH} reached nobody meanwhile dropped this node's lease. Requests
 * made while one is pending or running fold into one more run after it.
 *
 * <p>Batches go out in chunks of {@value #CHUNK} commands, each chunk after the one before was
 * answered. Everything runs from the store's timer thread and the cluster executor; nothing here
 * blocks. While the node is not ready, checks are skipped (its becoming ready asks for a sweep).
 */
final class SafetyNet {

  private static final Logger LOG = LoggerFactory.getLogger(SafetyNet.class);
  static final int CHUNK = 1000;
  /** The longest period: a lost hint costs at most about this much. */
  static final Duration MAX_PERIOD = Duration.ofSeconds(10);

  private final ClusterNode cluster;
  private final StoreScripts scripts;
  private final StoreKeys keys;
  private final LocalHolds holds;
  private final RedisReads reads;
  private final Supplier<Wakeups> wakeups;
  private final ScheduledExecutorService timer;
  private final Duration period;
  private final AtomicBoolean sweepAsked = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong sweeps = new AtomicLong();

  SafetyNet(ClusterNode cluster, StoreScripts scripts, StoreKeys keys, LocalHolds holds, RedisReads reads,
      Supplier<Wakeups> wakeups, ScheduledExecutorService timer) {
    this.cluster = cluster;
    this.scripts = scripts;
    this.keys = keys;
    this.holds = holds;
    this.reads = reads;
    this.wakeups = wakeups;
    this.timer = timer;
    // Stream leases are renewed every third of --lease, and never less often than MAX_PERIOD.
    long third = Math.max(1000, cluster.config().lease().toMillis() / 3);
    this.period = Duration.ofMillis(Math.min(third, MAX_PERIOD.toMillis()));
  }

  /** How often the position check runs. */
  Duration period() {
    return period;
  }

  /** Schedules the position check. */
  void start() {
    timer.scheduleWithFixedDelay(this::run, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    cluster.health().addListener(new StoreHealth.Listener() {
      @Override
      public void ready() {
        sweep();
      }

      @Override
      public void degraded(String reason) {}
    });
    cluster.incarnation().addListener(token -> sweep());
  }

  /** Asks for a re-sweep soon; several requests before it starts make one. */
  void sweep() {
    if (sweepAsked.compareAndSet(false, true)) {
      try {
        timer.execute(this::run);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        // The store is closing.
      }
    }
  }

  /**
   * Sends the renewals of stream leases (and of the topic leases those streams need) now, from
   * this thread, without waiting for answers: {@link dev.addressable.relay.store.Store#sweep}.
   */
  void renewStreams() {
    Map<String, Integer> followers = holds.heldTopics();
    Set<String> topics = new HashSet<>();
    for (LocalHolds.Held held : holds.held()) {
      if (held.streams() > 0) {
        channelTop(held, false);
        topics.addAll(held.topics());
      }
    }
    topics.forEach(t -> reads.renewTopic(t, followers.getOrDefault(t, 1)));
  }

  /** Re-sweeps done since the start. */
  long sweeps() {
    return sweeps.get();
  }

  /** One check, or a sweep if one was asked for; never two at once (a run asked meanwhile follows). */
  private void run() {
    if (!running.compareAndSet(false, true)) {
      return; // the running one re-checks sweepAsked when it ends
    }
    boolean sweep = sweepAsked.getAndSet(false);
    if (!cluster.health().isReady()) {
      running.set(false);
      return; // leases and reads are refused anyway; becoming ready asks for a sweep
    }
    if (sweep) {
      sweeps.incrementAndGet();
    }
    CompletionStage<Void> done;
    try {
      done = check(sweep);
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    done.whenComplete((v, failure) -> {
      if (failure != null) {
        LOG.warn("The {} of held channels failed: {}", sweep ? "re-sweep" : "position check",
            Handoff.unwrap(failure).toString());
        if (sweep) {
          sweepAsked.set(true); // the next periodic round sweeps: a failure is never retried at once
        }
      }
      running.set(false);
      if (failure == null && sweepAsked.get() && cluster.health().isReady()) {
        sweepAsked.set(false);
        sweep();
      }
    });
  }

  /** Reads the top pair of everything held here (renewing or rewriting leases), then wakes laggards. */
  private CompletionStage<Void> check(boolean rewrite) {
    List<LocalHolds.Held> channels = holds.held();
    Map<String, Integer> topics = holds.heldTopics();
    Set<String> streamTopics = new HashSet<>();
    channels.forEach(h -> {
      if (h.streams() > 0) {
        streamTopics.addAll(h.topics());
      }
    });
    List<Runnable> wakes = new ArrayList<>();
    List<Supplier<CompletableFuture<?>>> calls = new ArrayList<>(channels.size() + topics.size());
    for (LocalHolds.Held held : channels) {
      if (!rewrite && held.streams() == 0) {
        continue; // only polls hold it: each reads again when it comes back
      }
      calls.add(() -> channelTop(held, rewrite).thenAccept(top -> wakes(wakes, held.channel(), top)).toCompletableFuture());
    }
    topics.forEach((topic, followers) -> calls.add(() -> topicTop(topic, followers,
        rewrite || streamTopics.contains(topic)).thenAccept(top -> wakes(wakes, topic, top)).toCompletableFuture()));
    return inChunks(calls, 0).thenRun(() -> {
      synchronized (wakes) {
        wakes.forEach(Runnable::run);
      }
    });
  }

  private void wakes(List<Runnable> wakes, ChannelId channel, Cursor top) {
    synchronized (wakes) {
      wakes.add(() -> {
        if (top == null) {
          wakeups.get().channel(channel); // gone from Redis: its waiters read, and it is made anew
        } else {
          wakeups.get().channelBehind(channel, top);
        }
      });
    }
  }

  private void wakes(List<Runnable> wakes, String topic, Cursor top) {
    synchronized (wakes) {
      wakes.add(() -> {
        if (top == null) {
          wakeups.get().topic(new TopicId(topic));
        } else {
          wakeups.get().topicBehind(new TopicId(topic), top);
        }
      });
    }
  }

  private CompletionStage<Void> inChunks(List<Supplier<CompletableFuture<?>>> calls, int from) {
    if (from >= calls.size()) {
      return Stages.done();
    }
    int to = Math.min(calls.size(), from + CHUNK);
    CompletableFuture<?>[] chunk = new CompletableFuture<?>[to - from];
    for (int i = from; i < to; i++) {
      chunk[i - from] = calls.get(i).get();
    }
    return CompletableFuture.allOf(chunk).thenCompose(v -> inChunks(calls, to));
  }

  /** The channel's top pair, its lease renewed or rewritten if need be; {@code null} if it is gone. */
  private CompletionStage<Cursor> channelTop(LocalHolds.Held held, boolean rewrite) {
    String base = keys.channel(held.channel());
    if (held.streams() > 0 || rewrite) {
      String ms = held.streams() > 0 ? "-1" : Long.toString(held.pollMillisLeft() + 2000);
      return scripts.run("renew", base, StoreKeys.subject(held.channel()), Integer.toString(held.receivers()), ms)
          .thenApply(r -> Replies.number(r, 0) == 0 ? null : new Cursor(Replies.text(r, 1), Replies.number(r, 2)))
          .exceptionallyCompose(failure -> orRead(failure, base + ":m"));
    }
    return top(base + ":m");
  }

  private CompletionStage<Cursor> topicTop(String topic, int followers, boolean lease) {
    String meta = keys.topic(new TopicId(topic)) + ":m";
    if (lease) {
      return reads.renewTopic(topic, followers).exceptionallyCompose(failure -> orRead(failure, meta));
    }
    return top(meta);
  }

  /** While Redis is full nothing can be renewed, but the top pair can still be read, and laggards woken. */
  private CompletionStage<Cursor> orRead(Throwable failure, String meta) {
    return StoreScripts.isFull(failure) ? top(meta) : CompletableFuture.failedFuture(failure);
  }

  private CompletionStage<Cursor> top(String meta) {
    return cluster.<List<KeyValue<String, String>>>command(redis -> redis.hmget(meta, "e", "s")).thenApply(pair -> {
      if (pair.size() < 2 || !pair.get(0).hasValue() || !pair.get(1).hasValue()) {
        return null;
      }
      return new Cursor(pair.get(0).getValue(), Long.parseLong(pair.get(1).getValue()));
    });
  }
}
