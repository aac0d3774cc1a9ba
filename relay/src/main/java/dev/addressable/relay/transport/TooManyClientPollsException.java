package dev.addressable.relay.transport;

/**
 * A client already holds its limit of parked polls and SSE streams at this relay
 * ({@link ClientPolls}); an SSE stream past it is answered 429 {@code too_many_polls}. (A poll past
 * it is not refused: it is answered at once and told to wait.)
 */
public final class TooManyClientPollsException extends RuntimeException {
  public TooManyClientPollsException(int limit) {
    super("this client already holds " + limit + " waiting polls and event streams at this relay"
        + " (--max-polls-per-client); use a WebSocket, which is not counted, or long-poll", null, false, false);
  }
}
