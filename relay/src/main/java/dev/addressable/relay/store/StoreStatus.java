package dev.addressable.relay.store;

/**
 * Whether a store can be used now, for {@code /health}: a shared store may lose its server for a
 * while, the memory store never does. Read without waiting.
 */
@FunctionalInterface
public interface StoreStatus {

  /** Always up: the memory store's. */
  StoreStatus UP = () -> null;

  /** Why the store cannot be used now (holds no secret), or {@code null} while it can. */
  String downReason();
}
