package dev.addressable.relay.hub;

/** A hub connection ended because a newer one of the same client connected (409 {@code superseded}). */
public final class SupersededException extends RuntimeException {

  public SupersededException() {
    super("a newer hub of this client connected (another tab took the lead); this one is closed", null, false, false);
  }
}
