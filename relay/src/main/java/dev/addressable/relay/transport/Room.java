package dev.addressable.relay.transport;

import dev.addressable.relay.store.ChannelId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One channel's receivers at this node: those waiting for its next message (parked polls, stream
 * pumps between batches), its client's key as last proven here, and the topics it was last seen
 * to follow (so a topic's hint reaches it). Kept while used; the node's sweep retires one that
 * nobody used for the idle expiry, and the next receiver makes a new one.
 *
 * <p>Thread-safe. Its lock guards the waiting list and the retired flag; it is never held while
 * a waiter reads or is answered.
 */
public final class Room {

  private final ChannelId channel;
  private final List<Waiter> waiters = new ArrayList<>(2);
  private volatile int waiting;
  private boolean retired;
  /** The client's key as last proven on this channel, so each poll need not recompute its HMAC. */
  private volatile String provenKey;
  /** Topic ids the channel follows, as far as this node saw; written under {@link Receivers}' index lock. */
  volatile Set<String> follows = Set.of();
  private volatile long lastUsed;

  Room(ChannelId channel, long now) {
    this.channel = channel;
    this.lastUsed = now;
  }

  public ChannelId channel() {
    return channel;
  }

  /**
   * Whether {@code key} is the key already proven for this channel's client; compared in constant
   * time. {@code false} means "not known", not "wrong": check it with {@link dev.addressable.relay.secret.KeyRing#verify}.
   */
  public boolean isProvenKey(String key) {
    String proven = provenKey;
    if (proven == null || key == null || proven.length() != key.length()) {
      return false;
    }
    int difference = 0;
    for (int i = 0; i < proven.length(); i++) {
      difference |= proven.charAt(i) ^ key.charAt(i);
    }
    return difference == 0;
  }

  /** Remembers a key that {@link dev.addressable.relay.secret.KeyRing#verify} accepted for this channel's client. */
  public void keyProven(String key) {
    provenKey = key;
  }

  /**
   * Puts {@code waiter} on the waiting list.
   *
   * @return {@code false} if the room was retired meanwhile (take a new one)
   * @throws TooManyWaitersException if {@code maxWaiters} wait here already
   */
  synchronized boolean add(Waiter waiter, int maxWaiters, long now) {
    if (retired) {
      return false;
    }
    if (waiters.size() >= maxWaiters) {
      throw new TooManyWaitersException(maxWaiters);
    }
    waiters.add(waiter);
    waiting = waiters.size();
    lastUsed = now;
    return true;
  }

  /** Takes {@code waiter} off the waiting list, if it is on it. */
  synchronized void remove(Waiter waiter) {
    for (int i = waiters.size() - 1; i >= 0; i--) {
      if (waiters.get(i) == waiter) {
        waiters.remove(i);
        break;
      }
    }
    waiting = waiters.size();
  }

  /**
   * Tells every waiter that something changed: each reads again (or, if its read is under way,
   * reads once more after it).
   *
   * @return how many this call answered
   */
  int wake() {
    return wake(waiter -> true);
  }

  /**
   * Tells the waiters that {@code which} picks that something changed, as {@link #wake()} does.
   *
   * @return how many this call answered
   */
  int wake(Predicate<Waiter> which) {
    return each(w -> which.test(w) && w.hint());
  }

  /**
   * Hands each waiter to {@code visit}, which answers it or tells it to read again.
   *
   * @return how many {@code visit} answered
   */
  int each(Predicate<Waiter> visit) {
    Waiter[] now;
    synchronized (this) {
      if (waiters.isEmpty()) {
        return 0;
      }
      now = waiters.toArray(new Waiter[0]);
    }
    int answered = 0;
    for (Waiter w : now) {
      if (visit.test(w)) {
        answered++;
      }
    }
    return answered;
  }

  /** Answers every waiter with {@code failure}; each leaves the list as it is answered. */
  void releaseAll(RuntimeException failure) {
    Waiter[] now;
    synchronized (this) {
      now = waiters.toArray(new Waiter[0]);
    }
    for (Waiter w : now) {
      w.fail(failure);
    }
  }

  /** How many wait here now. */
  public synchronized int waiterCount() {
    return waiters.size();
  }

  /** Whether a receiver waits here now; a lock-free read, for counts that may be a moment stale. */
  public boolean isWaiting() {
    return waiting > 0;
  }

  /** Retires the room if nobody waits and it was unused since {@code cutoff}. */
  synchronized boolean retireIfUnusedSince(long cutoff) {
    if (!waiters.isEmpty() || lastUsed >= cutoff) {
      return false;
    }
    retired = true;
    return true;
  }
}
