package dev.addressable.relay.layering.cycle.b;

import dev.addressable.relay.layering.cycle.a.A;

/** The other half of the deliberate cycle. */
public final class B {
  public A a;
}
