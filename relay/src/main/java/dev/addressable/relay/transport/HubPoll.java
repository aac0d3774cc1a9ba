package dev.addressable.relay.transport;

import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.hub.Hubs;
import dev.addressable.relay.hub.SupersededException;
import dev.addressable.relay.parking.Cancellable;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.ClientId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A hub's long-poll: one request that waits on several channels of one client, each from its own
 * cursor, and is answered as soon as any of them has something. Each channel waits as a
 * {@link LongPoll} of its own (its own lease, confirmation and waiting list); the first to answer
 * with messages (or to fail) answers the hub's poll with its channel alone and calls the others
 * off, and a timeout answers with no channel. Channels left out keep their cursors: the next poll
 * asks again from there, and since reading removes nothing, a wait called off loses nothing.
 *
 * <p>A poll of timeout 0 waits on nothing: it reads every channel (in cluster mode, reads that
 * complete later) and answers with all that have something.
 *
 * <p>The hub's poll is its client's open hub ({@link Hubs}) while it waits: the same leader's next
 * poll (say, with a tab joined or gone) answers it at once with no channel, and a newer leader's
 * answers it with {@link SupersededException}.
 */
public final class HubPoll {

  /**
   * What one channel of a hub's poll gets: a batch, or the reason it cannot be read (a bad
   * cursor, a limit); exactly one of the two is set.
   */
  public record Outcome(Batch batch, RuntimeException failure) {}

  private final LongPoll longPoll;
  private final Hubs hubs;

  public HubPoll(LongPoll longPoll, Hubs hubs) {
    this.longPoll = longPoll;
    this.hubs = hubs;
  }

  /**
   * Reads the hub's channels, or waits on them all.
   *
   * @param channels each channel's name and the cursor the hub holds for it ({@code null}: from the end)
   * @param then gets the answer if the poll waits: the channels that have something, or the failure
   *     that ended the poll ({@link SupersededException}); once, on the thread that ends the wait
   * @param whileWaiting told how to call the poll off if its client goes away
   * @return the answer now, or {@code null} if it comes through {@code then}
   * @throws dev.addressable.relay.hub.StaleTermException if a newer leader of the client connected before
   */
  public Map<String, Outcome> poll(ClientId client, long term, Map<String, FeedCursor> channels, Duration timeout,
      BiConsumer<Map<String, Outcome>, Throwable> then, java.util.function.Consumer<Cancellable> whileWaiting) {
    Round round = timeout.isZero() ? new ReadRound(client, then) : new Round(client, then);
    hubs.open(client, term, round);
    whileWaiting.accept(round);
    Map<String, Outcome> now = new LinkedHashMap<>();
    for (Map.Entry<String, FeedCursor> entry : channels.entrySet()) {
      if (round.isOver()) {
        break;
      }
      String name = entry.getKey();
      FeedCursor after = entry.getValue();
      try {
        round.reading();
        Batch batch = longPoll.poll(new ChannelId(client.value(), name), after, after != null, timeout,
            (answer, failure) -> round.answered(name, answer, failure), round::waiting);
        if (batch != null) {
          round.read(name, batch, now);
        }
      } catch (RuntimeException refused) {
        round.read(name, null, now);
        now.put(name, new Outcome(null, refused));
      }
    }
    return round.afterReads(now);
  }

  /** A channel's failure as an {@link Outcome} holds it. */
  private static RuntimeException unchecked(Throwable failure) {
    return failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
  }

  /** One poll of a hub: its channels' waits, and whether it was answered. */
  private class Round implements Hubs.Connection, Cancellable {
    private final ClientId client;
    private final BiConsumer<Map<String, Outcome>, Throwable> then;
    private final AtomicBoolean over = new AtomicBoolean();
    private final List<Cancellable> waits = new ArrayList<>();

    Round(ClientId client, BiConsumer<Map<String, Outcome>, Throwable> then) {
      this.client = client;
      this.then = then;
    }

    BiConsumer<Map<String, Outcome>, Throwable> then() {
      return then;
    }

    boolean isOver() {
      return over.get();
    }

    /** A channel's read or wait is about to start. */
    void reading() {}

    /** A channel answered at once (batch, or null when refused): kept in {@code now} if worth it. */
    void read(String channel, Batch batch, Map<String, Outcome> now) {
      if (batch != null && batch.isWorthAnswering()) {
        now.put(channel, new Outcome(batch, null));
      }
    }

    /** Every channel was asked: the answer now, or null while the poll waits (or went to then meanwhile). */
    Map<String, Outcome> afterReads(Map<String, Outcome> now) {
      return !now.isEmpty() && finish() ? now : null;
    }

    /** A channel's poll parked: called off with the round. */
    void waiting(Cancellable wait) {
      synchronized (waits) {
        if (!over.get()) {
          waits.add(wait);
          return;
        }
      }
      wait.cancel();
    }

    /**
     * Ends the round: calls every channel's wait off and closes the hub's registration.
     *
     * @return whether this call ended it (and so answers the poll)
     */
    boolean finish() {
      if (!over.compareAndSet(false, true)) {
        return false;
      }
      Cancellable[] parked;
      synchronized (waits) {
        parked = waits.toArray(new Cancellable[0]);
        waits.clear();
      }
      for (Cancellable wait : parked) {
        wait.cancel();
      }
      hubs.close(client, this);
      return true;
    }

    /** A channel's wait ended: its messages, its failure, or its timeout ({@code batch} with none). */
    void answered(String channel, Batch batch, Throwable failure) {
      if (!finish()) {
        return;
      }
      if (failure != null) {
        RuntimeException e = unchecked(failure);
        then.accept(Map.of(channel, new Outcome(null, e)), null);
      } else if (batch != null && batch.isWorthAnswering()) {
        then.accept(Map.of(channel, new Outcome(batch, null)), null);
      } else {
        then.accept(Map.of(), null);
      }
    }

    @Override
    public void supersede(boolean sameTerm) {
      if (finish()) {
        if (sameTerm) {
          then.accept(Map.of(), null);
        } else {
          then.accept(null, new SupersededException());
        }
      }
    }

    /** The client went away. */
    @Override
    public void cancel() {
      finish();
    }
  }

  /**
   * A poll of timeout 0: it answers once every channel's read is back, with all that have
   * something. In cluster mode reads complete later, on the store's threads; a poll that answered
   * at the end of its loop would always be empty there.
   */
  private final class ReadRound extends Round {
    /** Reads not back yet, plus one for the loop that starts them. */
    private final AtomicInteger outstanding = new AtomicInteger(1);
    private final Map<String, Outcome> found = new LinkedHashMap<>();

    ReadRound(ClientId client, BiConsumer<Map<String, Outcome>, Throwable> then) {
      super(client, then);
    }

    @Override
    void reading() {
      outstanding.incrementAndGet();
    }

    @Override
    void read(String channel, Batch batch, Map<String, Outcome> now) {
      super.read(channel, batch, now);
      outstanding.decrementAndGet(); // the loop's own guard keeps this above 0
    }

    @Override
    Map<String, Outcome> afterReads(Map<String, Outcome> now) {
      synchronized (found) {
        found.putAll(now);
      }
      return outstanding.decrementAndGet() == 0 && finish() ? collected() : null;
    }

    @Override
    void answered(String channel, Batch batch, Throwable failure) {
      synchronized (found) {
        if (failure != null) {
          found.put(channel, new Outcome(null, unchecked(failure)));
        } else if (batch != null && batch.isWorthAnswering()) {
          found.put(channel, new Outcome(batch, null));
        }
      }
      if (outstanding.decrementAndGet() == 0 && finish()) {
        then().accept(collected(), null);
      }
    }

    private Map<String, Outcome> collected() {
      synchronized (found) {
        return new LinkedHashMap<>(found);
      }
    }
  }
}
