package dev.addressable.relay.event;

import java.util.Map;

/**
 * Where a store that keeps its own queue of events (cluster mode's stream in Redis) hands them to
 * the app, one at a time and in order: the webhook. Unlike {@link RelayEvents}, which only hands
 * off, {@link #deliver} waits for the outcome, so the queue forgets an event only once it was
 * delivered or given up.
 */
public interface EventOutlet {

  /**
   * Delivers one event (its JSON fields, in order) with the webhook's retries.
   *
   * @return once the app took it or it was given up
   * @throws InterruptedException if the relay is stopping; the event stays queued
   */
  void deliver(Map<String, Object> body) throws InterruptedException;

  /** {@code count} events were dropped before delivery: the queue was full. */
  void dropped(long count);
}
