package dev.addressable.relay.transport;

import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.parking.Parked;
import dev.addressable.relay.store.Lease;
import dev.addressable.relay.store.Stages;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One receiver waiting on a channel at this node: its parked request, where it reads from, and
 * whether a read of it is under way. It is registered in its {@link Room} before its first read,
 * so a message stored meanwhile is either in that read or hinted to it. A hint makes it read
 * again; a hint that comes while a read is under way makes it read once more after that one,
 * which may have missed what the hint announced. The first read that finds something answers it;
 * its {@link Parked} sees that it is answered once.
 *
 * <p>For a long-poll it is also the parked request's listener (a timeout answers empty at its
 * cursor) and holds the poll's lease, given back once, when the poll has left and the lease was
 * taken, whichever comes last. Thread-safe.
 */
final class Waiter implements Consumer<Parked<Batch>>, BiConsumer<Batch, Throwable> {

  private static final int IDLE = 0;
  private static final int READING = 1;
  private static final int DIRTY = 2;
  private static final AtomicIntegerFieldUpdater<Waiter> STATE = AtomicIntegerFieldUpdater.newUpdater(Waiter.class, "state");
  private static final AtomicIntegerFieldUpdater<Waiter> RELEASED =
      AtomicIntegerFieldUpdater.newUpdater(Waiter.class, "released");

  /** What a read's outcome leaves to do. */
  private enum Next { DONE, AGAIN }

  private final Receivers receivers;
  private final Lease lease;
  private final BiConsumer<? super Batch, ? super Throwable> then;
  private volatile Room room;
  private volatile FeedCursor after;
  private Parked<Batch> parked;
  private volatile int state = READING; // its first read is its receiver's, under way from the start
  private volatile boolean taken;
  private volatile boolean left;
  @SuppressWarnings("unused") // through RELEASED
  private volatile int released;

  /**
   * @param after where it reads from, or {@code null} for the end (a new receiver)
   * @param lease what its first read takes ({@link Lease#NONE} for a stream, whose pump holds one)
   * @param then a long-poll's answer, or {@code null} when the answer goes to the parked request's future
   */
  Waiter(Receivers receivers, Room room, FeedCursor after, Lease lease, BiConsumer<? super Batch, ? super Throwable> then) {
    this.receivers = receivers;
    this.room = room;
    this.after = after;
    this.lease = lease;
    this.then = then;
  }

  /** Whether its position in the channel's own inbox is not {@code top} (or not known yet). */
  boolean isBehind(Cursor top) {
    FeedCursor at = after;
    return at == null || !at.own().equals(top);
  }

  /** Whether its position in {@code topic} is not {@code top} (or not known yet). */
  boolean isBehind(String topic, Cursor top) {
    FeedCursor at = after;
    return at == null || !top.equals(at.topics().get(topic));
  }

  /** Its parked request; set before it joins a room. */
  void parked(Parked<Batch> request) {
    this.parked = request;
  }

  Room room() {
    return room;
  }

  /** Its room was retired before it joined: it waits in the channel's new one. */
  void moveTo(Room next) {
    room = next;
  }

  /**
   * Its receiver's own first read, once it waits in its room: with {@code confirms}, confirming
   * what the cursor covers, and taking its lease.
   *
   * @return the batch to answer at once (its park discarded), or {@code null} if it waits: a hint,
   *     a later read or its timeout answers it
   * @throws RuntimeException what the read failed with, its park discarded
   */
  Batch begin(boolean confirms) {
    CompletableFuture<Batch> read =
        receivers.store().readAndLease(room.channel(), after, confirms, lease).toCompletableFuture();
    if (!read.isDone()) {
      read.whenCompleteAsync((batch, failure) -> {
        if (failure != null) {
          fail(Stages.unwrap(failure));
          return;
        }
        leased();
        if (batch.isWorthAnswering()) {
          parked.complete(() -> batch);
        } else if (settle(batch) == Next.AGAIN) {
          read();
        }
      }, receivers.executor());
      return null;
    }
    Batch batch;
    try {
      batch = Stages.now(read);
    } catch (RuntimeException e) {
      parked.discard();
      throw e;
    }
    leased();
    if (batch.isWorthAnswering()) {
      return parked.discard() ? batch : null; // else a hint's read answered it meanwhile
    }
    if (settle(batch) == Next.AGAIN) {
      read();
    }
    return null;
  }

  /**
   * Something changed: reads again, or if a read is under way, once more after it.
   *
   * @return whether this call answered the receiver
   */
  boolean hint() {
    while (true) {
      int s = state;
      if (s == IDLE) {
        if (STATE.compareAndSet(this, IDLE, READING)) {
          return read();
        }
      } else if (s == READING) {
        if (STATE.compareAndSet(this, READING, DIRTY)) {
          return false;
        }
      } else {
        return false;
      }
    }
  }

  /**
   * A message at {@code top} of {@code topic}, carried by a hint: a waiter whose position on the
   * topic is just before it is answered with it alone (its channel's own inbox and other topics
   * stay where its cursor has them, for its next read); any other reads again, as for a hint.
   *
   * @return whether this call answered the receiver
   */
  boolean offer(String topic, Cursor top, Message message) {
    FeedCursor at = after;
    Cursor position = at == null ? null : at.topics().get(topic);
    if (position == null || !position.epoch().equals(top.epoch()) || position.seq() != top.seq() - 1) {
      return hint();
    }
    Batch batch = new Batch(List.of(message), at.with(topic, top), false);
    return parked.complete(() -> batch); // false: a read answered it meanwhile
  }

  /** Reads until it answers the receiver or waits on; the state is {@code READING}. */
  private boolean read() {
    while (!parked.isFinished()) {
      CompletableFuture<Batch> read =
          receivers.store().readAndLease(room.channel(), after, false, Lease.NONE).toCompletableFuture();
      if (!read.isDone()) {
        read.whenCompleteAsync(this::readLater, receivers.executor());
        return false;
      }
      Batch batch;
      try {
        batch = Stages.now(read);
      } catch (RuntimeException e) {
        fail(e);
        return false;
      }
      if (batch.isWorthAnswering()) {
        return parked.complete(() -> batch);
      }
      if (settle(batch) == Next.DONE) {
        return false;
      }
    }
    return false;
  }

  private void readLater(Batch batch, Throwable failure) {
    if (failure != null) {
      fail(Stages.unwrap(failure));
    } else if (batch.isWorthAnswering()) {
      parked.complete(() -> batch);
    } else if (settle(batch) == Next.AGAIN) {
      read();
    }
  }

  /** A read found nothing to answer: waits on, unless a hint came meanwhile or the channel follows a topic new here. */
  private Next settle(Batch batch) {
    // It reads on from where this read ended: a new receiver from the end it was given, and one
    // whose cursor predates a subscription from where its channel began to follow the topic, so
    // a hint carrying the topic's next message answers it and a position check at the top leaves
    // it alone (kept at the old cursor, it read again on each, issue 17).
    after = batch.cursor();
    boolean grew = receivers.learn(room, batch.cursor());
    while (true) {
      int s = state;
      if (s == DIRTY || grew) {
        state = READING;
        return Next.AGAIN;
      }
      if (STATE.compareAndSet(this, READING, IDLE)) {
        return Next.DONE;
      }
    }
  }

  /** Answers it with {@code failure} (unless it was answered already): a long-poll gets the error, a stream closes with it. */
  void fail(Throwable failure) {
    RuntimeException e = failure instanceof RuntimeException r ? r : new CompletionException(failure);
    parked.complete(() -> {
      throw e;
    });
  }

  private void leased() {
    if (lease.isHeld()) {
      taken = true;
      if (left) {
        release();
      }
    }
  }

  private void release() {
    if (RELEASED.compareAndSet(this, 0, 1)) {
      receivers.store().release(room.channel(), lease);
    }
  }

  /** Its parked request left (answered, timed out, called off): off the waiting list, its lease given back. */
  @Override
  public void accept(Parked<Batch> request) {
    room.remove(this);
    if (lease.isHeld()) {
      left = true;
      if (taken) {
        release();
      }
    }
  }

  /**
   * A long-poll's answer. On its timeout ({@code null} and no failure) it answers empty at the
   * cursor it waited at, without asking the store (CLUSTER.md section 6): a message a hint had
   * not announced yet is read by the poll that follows at once from the same cursor. Only a
   * receiver whose first read has not returned yet has no cursor to answer with; it reads once.
   */
  @Override
  public void accept(Batch batch, Throwable failure) {
    if (batch == null && failure == null) {
      FeedCursor at = after;
      if (at != null) {
        then.accept(new Batch(List.of(), at, false), null);
        return;
      }
      Stages.whenDone(receivers.store().readAndLease(room.channel(), null, false, Lease.NONE), receivers.executor(),
          then);
      return;
    }
    then.accept(batch, failure);
  }
}
