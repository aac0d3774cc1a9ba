package dev.addressable.relay.parking;

/** Something waiting that its requester may call off (the client went away). */
@FunctionalInterface
public interface Cancellable {

  /** Calls the wait off if it has not ended; does nothing otherwise. Any thread, any number of times. */
  void cancel();
}
