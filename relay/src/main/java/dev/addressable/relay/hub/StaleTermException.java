package dev.addressable.relay.hub;

/** A hub connected with a lower term than the client's newest: an old leader, which must step down (409 {@code stale_term}). */
public final class StaleTermException extends RuntimeException {

  public StaleTermException(long term, long newest) {
    super("hub term " + term + " is older than this client's newest hub (" + newest
        + "): another tab leads now; join its hub as a follower", null, false, false);
  }
}
