package dev.addressable.relay.parking;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The deadlines of parked requests, as a hashed timing wheel: time is cut into ticks, and a
 * request waits in the slot of the tick its deadline falls in (rounded up, so never early). A
 * request joins and leaves its slot in constant time under that slot's lock alone; nothing is
 * allocated for it, since the {@link Parked} is its own list node.
 *
 * <p>One thread advances the wheel ({@link #advance}); any thread may {@link #add} and
 * {@link #remove}. A slot holds the requests of every tick that maps to it, so a request whose
 * deadline is more than one turn of the wheel away is passed over until its own tick comes.
 */
final class TimerWheel {

  /** A slot's requests: a doubly linked list through {@link Parked#prev} and {@link Parked#next}. */
  static final class Slot {
    private Parked<?> head;
    /** The last tick this slot was expired for; a request for that tick or earlier is late. */
    private long expiredTick = -1;
  }

  private final long origin;
  private final long tickNanos;
  private final Slot[] slots;
  private final int mask;
  /** The last tick expired in full; written under the lock of that tick's slot. */
  private volatile long expiredTick = -1;

  /**
   * @param slotCount a power of two
   * @param nowNanos the {@link System#nanoTime} at which tick 0 starts
   */
  TimerWheel(long tickNanos, int slotCount, long nowNanos) {
    if (Integer.bitCount(slotCount) != 1) {
      throw new IllegalArgumentException("slotCount must be a power of two: " + slotCount);
    }
    this.origin = nowNanos;
    this.tickNanos = tickNanos;
    this.slots = new Slot[slotCount];
    for (int i = 0; i < slotCount; i++) {
      slots[i] = new Slot();
    }
    this.mask = slotCount - 1;
  }

  /** Puts {@code request} in the slot of {@code deadlineNanos}, or of the next tick if that has passed. */
  void add(Parked<?> request, long deadlineNanos) {
    long due = Math.max(0, Math.floorDiv(deadlineNanos - origin + tickNanos - 1, tickNanos));
    while (true) {
      long tick = Math.max(due, expiredTick + 1);
      Slot slot = slots[(int) (tick & mask)];
      synchronized (slot) {
        if (tick > slot.expiredTick) {
          request.tick = tick;
          request.prev = null;
          request.next = slot.head;
          if (slot.head != null) {
            slot.head.prev = request;
          }
          slot.head = request;
          request.slot = slot;
          return;
        }
      }
      // The timer expired this slot for our tick meanwhile; expiredTick has moved on: retry.
    }
  }

  /** Takes {@code request} out of its slot, if it is still in one. */
  void remove(Parked<?> request) {
    Slot slot = request.slot;
    if (slot == null) {
      return;
    }
    synchronized (slot) {
      if (request.slot == slot) {
        unlink(slot, request);
      }
    }
  }

  /**
   * Expires every request whose tick has passed by {@code nowNanos}: takes them out of their slot
   * and hands them to {@code expire}, one list per tick that had any, outside any lock. For the
   * one timer thread.
   */
  void advance(long nowNanos, Consumer<List<Parked<?>>> expire) {
    long target = Math.floorDiv(nowNanos - origin, tickNanos); // the last tick whose time has come
    long tick = expiredTick + 1;
    if (target - tick >= slots.length) {
      tick = target - slots.length + 1; // fell a whole turn behind: visit each slot once, at its latest tick
    }
    for (; tick <= target; tick++) {
      Parked<?> due = null;
      Slot slot = slots[(int) (tick & mask)];
      synchronized (slot) {
        for (Parked<?> p = slot.head, next; p != null; p = next) {
          next = p.next;
          if (p.tick <= tick) {
            unlink(slot, p);
            p.next = due;
            due = p;
          }
        }
        slot.expiredTick = tick;
        expiredTick = tick;
      }
      if (due != null) {
        expire.accept(toList(due));
      }
    }
  }

  /** Takes every request out of the wheel and hands them to {@code expire}: for a shutdown. */
  void drain(Consumer<List<Parked<?>>> expire) {
    for (Slot slot : slots) {
      Parked<?> all;
      synchronized (slot) {
        all = null;
        while (slot.head != null) {
          Parked<?> p = slot.head;
          unlink(slot, p);
          p.next = all;
          all = p;
        }
      }
      if (all != null) {
        expire.accept(toList(all));
      }
    }
  }

  /** The requests of a chain linked through {@code next}, unlinked. */
  private static List<Parked<?>> toList(Parked<?> chain) {
    List<Parked<?>> list = new ArrayList<>();
    while (chain != null) {
      Parked<?> next = chain.next;
      chain.next = null;
      list.add(chain);
      chain = next;
    }
    return list;
  }

  private static void unlink(Slot slot, Parked<?> p) {
    if (p.prev != null) {
      p.prev.next = p.next;
    } else {
      slot.head = p.next;
    }
    if (p.next != null) {
      p.next.prev = p.prev;
    }
    p.prev = null;
    p.next = null;
    p.slot = null;
  }
}
