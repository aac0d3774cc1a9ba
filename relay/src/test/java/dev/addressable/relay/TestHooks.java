package dev.addressable.relay;

/**
 * What tests may do to a running relay that nothing else does: run its housekeeping sweep now,
 * rather than waiting for its period, after moving its clock on
 * ({@link dev.addressable.relay.testing.TestRelay#sweep}). Lives in the relay's package for the
 * package-visible {@link Relay#sweep}; test code only.
 */
public final class TestHooks {

  private TestHooks() {}

  /** Runs {@code relay}'s housekeeping sweep on the calling thread, as its timer would. */
  public static void sweep(Relay relay) {
    relay.sweep();
  }
}
