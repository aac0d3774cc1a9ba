package dev.addressable.relay.transport;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.Feed;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.feed.TooManyWaitersException;
import dev.addressable.relay.parking.OverloadedException;
import dev.addressable.relay.parking.Parked;
import dev.addressable.relay.parking.Parker;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Feeds one streaming receiver from its channel's feed: parks on the feed like a long-poll, and
 * when woken hands the batch to the sink, then parks again from the new cursor once the sink says
 * the batch has left. When the park times out (the heartbeat interval) the sink writes a heartbeat
 * instead, which is also how a dead connection is found.
 *
 * <p>Flow control: exactly one park or one write is outstanding per pump. A receiver that reads
 * slowly gets its messages in larger batches, later; one that does not read at all holds one
 * batch in its socket and nothing more, while its messages wait in the inbox (whose limits
 * bound them), until the connection's idle timeout ends it. Sink calls run on the executor or on
 * the thread that completed the last write, one after another, so writes to one connection are
 * serialized and in cursor order. {@link #stop} is idempotent and may be called from any thread.
 */
public final class StreamPump {

  private final Channel channel;
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

  StreamPump(Channel channel, FeedCursor after, Parker parker, Duration heartbeat, int maxWaiters,
      Executor executor, LongSupplier clock, StreamSink sink, Runnable onStop) {
    this.channel = channel;
    this.cursor = after;
    this.parker = parker;
    this.heartbeat = heartbeat;
    this.maxWaiters = maxWaiters;
    this.executor = executor;
    this.clock = clock;
    this.sink = sink;
    this.onStop = onStop;
  }

  /** Starts delivering; the channel counts as connected until {@link #stop}. */
  void start() {
    channel.connectionOpened();
    executor.execute(this::next);
  }

  /** The position after everything delivered so far. */
  public FeedCursor cursor() {
    return cursor;
  }

  public Channel channel() {
    return channel;
  }

  /** Stops delivering; the connection itself is closed by whoever called (or by the sink). */
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
    channel.connectionClosed(clock.getAsLong());
    onStop.run();
  }

  private void next() {
    if (stopped) {
      return;
    }
    Feed feed = channel.feed();
    FeedCursor after = cursor;
    Parked<Batch> parked = null;
    Batch now;
    try {
      parked = parker.park(heartbeat, () -> null, feed::unpark);
      current = parked;
      if (stopped) {
        parked.discard();
        return;
      }
      now = feed.readOrPark(after, parked, maxWaiters);
    } catch (RuntimeException e) {
      if (parked != null) {
        parked.discard();
      }
      stop();
      String code = parker.isClosed() ? "shutting_down" : e instanceof TooManyWaitersException ? "too_many_polls"
          : e instanceof OverloadedException ? "overloaded" : "bad_cursor";
      sink.close(code, e.getMessage());
      return;
    }
    if (now != null) {
      executor.execute(() -> handle(now));
    } else {
      parked.future().thenAcceptAsync(this::handle, executor);
    }
  }

  private void handle(Batch batch) {
    if (stopped) {
      return;
    }
    if (batch == null) {
      sink.heartbeat(clock.getAsLong(), this::sent);
    } else if (!batch.isWorthAnswering() && batch.unsubscribed().isEmpty()) {
      cursor = batch.cursor(); // a wake-up with nothing new for this reader (another was first): wait again
      next();
    } else {
      sink.deliver(batch, alive -> {
        cursor = batch.cursor();
        sent(alive);
      });
    }
  }

  /** The last write left (or failed): park again for the next batch, or stop. */
  private void sent(boolean alive) {
    if (alive) {
      next();
    } else {
      stop();
    }
  }
}
