package dev.addressable.relay.layering.cycle.a;

import dev.addressable.relay.layering.cycle.b.B;

/** Half of a deliberate package cycle, for {@link dev.addressable.relay.LayeringTest}'s check of its own rule. */
public final class A {
  public B b;
}
