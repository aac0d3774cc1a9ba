package dev.addressable.bench.hostile;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One kind of hostile traffic. Lifecycle: {@link #prepare} (before the clock starts: channels,
 * keys), {@link #start}, then {@link #progress} any number of times, {@link #stop} once (which
 * closes every connection the attack holds), then {@link #writeTo}. Each attack bounds its own
 * counts (sockets, rate); the phase bounds its time.
 */
interface Attack {

  /** The name used on the command line and in the results: {@code slow-bodies}, … */
  String name();

  void prepare() throws Exception;

  void start() throws Exception;

  /** A short line for the progress output. */
  String progress();

  void stop() throws InterruptedException;

  /**
   * Adds the attack's own figures: its counters and samples, and a one-line {@code summary} of what
   * the attack did and what the server did to it.
   */
  void writeTo(ObjectNode figures);
}
