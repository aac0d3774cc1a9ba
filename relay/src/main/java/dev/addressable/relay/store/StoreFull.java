package dev.addressable.relay.store;

/**
 * The store has no room for what a write would add (a shared store at its memory limit). Nothing
 * was stored; reads go on. Answered as 503 {@code overloaded} with a {@code Retry-After}. The
 * memory store reports its own budget as {@link dev.addressable.relay.memory.MemoryFullException}
 * instead, as it always has.
 */
public final class StoreFull extends RuntimeException {

  public StoreFull(String message) {
    super(message, null, false, false);
  }
}
