package dev.addressable.relay.transport;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many parked long-polls (JSONP's too) and open SSE streams each client holds at this relay,
 * against {@code --max-polls-per-client}: the safety net for tabs that do not share one connection.
 * A browser opens at most 6 HTTP/1.1 connections to a host, so a client whose tabs each hold a
 * poll or a stream starves its own 7th tab: its receive, its sends, even its script loads wait.
 * Past the cap a poll is answered at once and told to wait ({@link #INTERVAL_MILLIS}) and a
 * stream is refused; WebSockets are outside the browser's pool and are not counted. A hub's
 * poll or stream counts as one, like any other.
 *
 * <p>Whoever {@linkplain #tryTake takes} a slot gives it back exactly once, however its request
 * ends ({@link #giveBack}); a client's entry is gone when it holds none. Counts are per process:
 * in cluster mode each relay counts the requests it holds. Thread-safe; nothing is called out
 * while an entry is locked.
 */
public final class ClientPolls {

  /** How long a poll answered past the cap asks its client to wait before polling again, ms. */
  public static final int INTERVAL_MILLIS = 2000;

  private final int max;
  private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();
  private final LongAdder overCap = new LongAdder();

  /** @param max the most one client may hold; 0 means no cap (nothing is counted then) */
  public ClientPolls(int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max < 0: " + max);
    }
    this.max = max;
  }

  /** The most one client may hold; 0 for no cap. */
  public int max() {
    return max;
  }

  /** Whether there is a cap at all ({@code --max-polls-per-client} is not 0). */
  public boolean isCapped() {
    return max > 0;
  }

  /**
   * Takes a slot for one more poll or stream of {@code client}: the caller gives it back with
   * {@link #giveBack} when that request ends. Without a cap, always succeeds and counts nothing
   * (and then {@link #giveBack} does nothing either).
   *
   * @return whether the client had room; {@code false} is counted in {@link #overCap()}
   */
  public boolean tryTake(String client) {
    if (max == 0) {
      return true;
    }
    boolean[] took = new boolean[1];
    held.compute(client, (key, count) -> {
      int now = count == null ? 0 : count;
      if (now >= max) {
        return count;
      }
      took[0] = true;
      return now + 1;
    });
    if (!took[0]) {
      overCap.increment();
    }
    return took[0];
  }

  /** Gives back a slot {@link #tryTake} gave; call once per slot. */
  public void giveBack(String client) {
    if (max == 0) {
      return;
    }
    held.computeIfPresent(client, (key, count) -> count <= 1 ? null : count - 1);
  }

  /** Slots {@code client} holds now. */
  public int held(String client) {
    return held.getOrDefault(client, 0);
  }

  /** Clients holding at least one slot now. */
  public int clients() {
    return held.size();
  }

  /** Polls and streams turned away because their client held its cap, since start. */
  public long overCap() {
    return overCap.sum();
  }
}
