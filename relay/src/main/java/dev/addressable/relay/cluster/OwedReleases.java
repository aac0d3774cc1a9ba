package dev.addressable.relay.cluster;

import dev.addressable.relay.store.ChannelId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ObjLongConsumer;
import java.util.function.LongSupplier;

/**
 * Poll leases given back late, so that a receiver's next poll costs one script instead of two. A
 * long-poll that leaves (answered or timed out) is followed at once by its receiver's next poll,
 * usually at the same node; that poll's read gives the old lease back and takes its own in one
 * step ({@code read.lua}, ARGV[24]). A lease still owed after {@link #GRACE} (the receiver went
 * elsewhere, or away) is given back on its own by {@link #settle}. A channel whose receiver said
 * it is leaving ({@link #leave}) has its owed leases given back at once, and owes none for
 * {@link #GRACE} after: no next poll is coming, and presence must not wait for one (a reload that
 * comes back meanwhile costs a script more per poll for that while).
 *
 * <p>An owed lease still counts as held at this node, here ({@link LocalHolds}) as in Redis, so a
 * re-sweep that rewrites leases writes the count Redis should have. What it costs: for up to
 * {@link #GRACE} after a poll left, sends still hint this node for it, and its channel stays
 * online that much longer. Thread-safe; no I/O here.
 */
final class OwedReleases {

  /** How long a left poll's lease waits for the receiver's next poll before it is given back alone. */
  static final Duration GRACE = Duration.ofSeconds(2);

  private static final class Owed {
    int count;
    /** When the latest lease owed here was left (System.nanoTime). */
    long since;
  }

  private final ConcurrentHashMap<ChannelId, Owed> owed = new ConcurrentHashMap<>();
  /**
   * Channels whose receiver said it is leaving, with when (as {@link #nanoTime}). Set inside the
   * channel's compute of {@link #owed}, so a poll that leaves meanwhile is either owed before (and
   * given back by {@link #leave}) or not owed at all.
   */
  private final ConcurrentHashMap<ChannelId, Long> left = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;

  OwedReleases() {
    this(System::nanoTime);
  }

  /** @param nanoTime the clock, as {@link System#nanoTime} (a test's own) */
  OwedReleases(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /**
   * A poll on {@code channel} left; its lease is owed.
   *
   * @return {@code false} if the channel's receiver said it is leaving: nothing is owed, the
   *     caller gives the lease back now
   */
  boolean owe(ChannelId channel) {
    long now = nanoTime.getAsLong();
    boolean[] owing = {true};
    owed.compute(channel, (id, o) -> {
      if (!left.isEmpty() && left.containsKey(id)) {
        owing[0] = false;
        return o;
      }
      Owed next = o != null ? o : new Owed();
      next.count++;
      next.since = now;
      return next;
    });
    return owing[0];
  }

  /**
   * The channel's receiver said it is leaving: hands {@code giveBack} every lease owed on it, once
   * per lease, with how many ms ago its poll left, and owes none on it for {@link #GRACE}.
   *
   * @return how many were given back
   */
  int leave(ChannelId channel, ObjLongConsumer<ChannelId> giveBack) {
    long now = nanoTime.getAsLong();
    Owed[] taken = new Owed[1];
    owed.compute(channel, (id, o) -> {
      left.put(id, now);
      taken[0] = o;
      return null;
    });
    return giveBack(channel, taken[0], now, giveBack);
  }

  /**
   * Takes one lease owed on {@code channel}, for a read that gives it back as it takes its own.
   *
   * @return whether one was owed (the caller now gives it back)
   */
  boolean take(ChannelId channel) {
    boolean[] taken = new boolean[1];
    owed.computeIfPresent(channel, (id, o) -> {
      taken[0] = true;
      o.count--;
      return o.count > 0 ? o : null;
    });
    return taken[0];
  }

  /** Leases owed on {@code channel} now. */
  int count(ChannelId channel) {
    Owed o = owed.get(channel);
    return o == null ? 0 : o.count;
  }

  /**
   * Hands {@code giveBack} every lease owed longer than {@link #GRACE}, once per lease, with how
   * many ms ago its poll left, and forgets them. Called about every half {@link #GRACE} from one
   * thread.
   *
   * @return how many were given back
   */
  int settle(ObjLongConsumer<ChannelId> giveBack) {
    long now = nanoTime.getAsLong();
    long cutoff = now - GRACE.toNanos();
    left.values().removeIf(since -> since - cutoff <= 0);
    List<ChannelId> due = new ArrayList<>();
    owed.forEach((channel, o) -> {
      if (o.since - cutoff <= 0) {
        due.add(channel);
      }
    });
    int given = 0;
    for (ChannelId channel : due) {
      Owed[] taken = new Owed[1];
      owed.computeIfPresent(channel, (id, o) -> {
        if (o.since - cutoff > 0) {
          return o; // owed again meanwhile: it waits for that poll's receiver
        }
        taken[0] = o;
        return null;
      });
      given += giveBack(channel, taken[0], now, giveBack);
    }
    return given;
  }

  /** Forgets every lease owed, handing each to {@code giveBack} (the store is closing). */
  void settleAll(ObjLongConsumer<ChannelId> giveBack) {
    long now = nanoTime.getAsLong();
    for (ChannelId channel : List.copyOf(owed.keySet())) {
      giveBack(channel, owed.remove(channel), now, giveBack);
    }
  }

  private static int giveBack(ChannelId channel, Owed o, long now, ObjLongConsumer<ChannelId> giveBack) {
    if (o == null) {
      return 0;
    }
    long agoMillis = Math.max(0, (now - o.since) / 1_000_000);
    for (int i = 0; i < o.count; i++) {
      giveBack.accept(channel, agoMillis);
    }
    return o.count;
  }
}
