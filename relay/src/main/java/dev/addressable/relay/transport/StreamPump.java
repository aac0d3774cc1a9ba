package dev.addressable.relay.transport;

import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.parking.OverloadedException;
import dev.addressable.relay.parking.Parked;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.store.BadCursor;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Lease;
import dev.addressable.relay.store.Stages;
import dev.addressable.relay.store.StoreUnavailable;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Feeds one streaming receiver from its channel: waits in the channel's room like a long-poll, and
 * when answered hands the batch to the sink, then waits again from the new cursor once the sink
 * says the batch has left. When the wait times out (the heartbeat interval) the sink writes a
 * heartbeat instead, which is also how a dead connection is found. The stream holds its channel
 * ({@link Lease#STREAM}, taken by the read that opened it) until {@link #stop}.
 *
 * <p>Flow control: exactly one wait or one write is outstanding per pump. A receiver that reads
 * slowly gets its messages in larger batches, later; one that does not read at all holds one
 * batch in its socket and nothing more, while its messages wait in the inbox (whose limits
 * bound them), until the connection's idle timeout ends it. Sink calls run on the executor or on
 * the thread that completed the last write, one after another, so writes to one connection are
 * serialized and in cursor order. {@link #stop} is idempotent and may be called from any thread.
 */
public final class StreamPump {

  private final ChannelId channel;
  private final Receivers receivers;
  private final Parker parker;
  private final Duration heartbeat;
  private final int maxWaiters;
  private final Executor executor;
  private final LongSupplier clock;
  private final StreamSink sink;
  private final Runnable onStop;
  private volatile FeedCursor cursor;
  private volatile Parked<Batch> current;
  private volatile boolean stopped;

  StreamPump(ChannelId channel, FeedCursor after, Receivers receivers, Parker parker, Duration heartbeat,
      int maxWaiters, Executor executor, LongSupplier clock, StreamSink sink, Runnable onStop) {
    this.channel = channel;
    this.cursor = after;
    this.receivers = receivers;
    this.parker = parker;
    this.heartbeat = heartbeat;
    this.maxWaiters = maxWaiters;
    this.executor = executor;
    this.clock = clock;
    this.sink = sink;
    this.onStop = onStop;
  }

  /** Starts delivering; the channel stays held until {@link #stop}. */
  void start() {
    executor.execute(this::next);
  }

  /** The position after everything delivered so far. */
  public FeedCursor cursor() {
    return cursor;
  }

  public ChannelId channel() {
    return channel;
  }

  /** Stops delivering and gives the channel back; the connection itself is closed by whoever called (or by the sink). */
  public void stop() {
    if (stopped) {
      return;
    }
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
    }
    Parked<Batch> parked = current;
    if (parked != null) {
      parked.discard();
    }
    receivers.store().release(channel, Lease.STREAM);
    onStop.run();
  }

  private void next() {
    if (stopped) {
      return;
    }
    Waiter waiter = new Waiter(receivers, receivers.room(channel), cursor, Lease.NONE, null);
    Parked<Batch> parked = null;
    Batch now;
    try {
      parked = parker.park(heartbeat, () -> null, waiter);
      waiter.parked(parked);
      current = parked;
      if (stopped) {
        parked.discard();
        return;
      }
      receivers.enter(waiter, maxWaiters);
      now = waiter.begin(false);
    } catch (RuntimeException e) {
      if (parked != null) {
        parked.discard();
      }
      stop();
      sink.close(code(e), e.getMessage());
      return;
    }
    if (now != null) {
      executor.execute(() -> handle(now));
    } else {
      parked.future().whenCompleteAsync((batch, failure) -> {
        if (failure == null) {
          handle(batch);
        } else if (!stopped) {
          Throwable cause = Stages.unwrap(failure);
          stop();
          sink.close(code(cause), cause.getMessage());
        }
      }, executor);
    }
  }

  private String code(Throwable e) {
    return codeOf(parker, e);
  }

  /** The protocol's code for what ended a stream's channel: a limit, an unreachable store, a bad cursor, shutdown. */
  static String codeOf(Parker parker, Throwable e) {
    if (parker.isClosed()) {
      return "shutting_down";
    }
    if (e instanceof TooManyWaitersException) {
      return "too_many_polls";
    }
    if (e instanceof OverloadedException) {
      return "overloaded";
    }
    if (e instanceof StoreUnavailable) {
      return "store_unavailable";
    }
    return e instanceof BadCursor ? "bad_cursor" : "internal_error";
  }

  private void handle(Batch batch) {
    if (stopped) {
      return;
    }
    if (batch == null) {
      sink.heartbeat(clock.getAsLong(), this::sent);
    } else if (!batch.isWorthAnswering() && batch.unsubscribed().isEmpty()) {
      cursor = batch.cursor(); // nothing new for this reader: wait again
      next();
    } else {
      sink.deliver(batch, alive -> {
        cursor = batch.cursor();
        sent(alive);
      });
    }
  }

  /** The last write left (or failed): wait again for the next batch, or stop. */
  private void sent(boolean alive) {
    if (alive) {
      next();
    } else {
      stop();
    }
  }
}
