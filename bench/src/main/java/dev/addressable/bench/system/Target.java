package dev.addressable.bench.system;

import dev.addressable.bench.load.HttpResponse;
import java.util.function.Consumer;

/**
 * How the load generator talks to one system under test: the requests a receiver makes (an
 * optional setup, then long-polls) and the request a sender makes. Stateless; per-receiver state
 * lives in {@link Subscription}. Implementations build raw HTTP/1.1 requests.
 */
public interface Target {

  /** The family: {@code addressable} or {@code nchan}, whatever the store behind the servers. */
  String system();

  /**
   * The next request that prepares {@code s} before its first poll, or null when it is ready:
   * asked again after each setup answer, so a receiver may need several (connect, then subscribe).
   */
  byte[] setupRequest(Subscription s);

  /** Reads the setup answer into {@code s}; false if setting up failed. */
  boolean onSetup(Subscription s, HttpResponse response);

  byte[] pollRequest(Subscription s);

  /**
   * Reads a poll answer: moves {@code s} past what it carried and hands each message's text to
   * {@code messages}. Returns false for an error answer (the receiver backs off, then polls again).
   */
  boolean onPoll(Subscription s, HttpResponse response, Consumer<String> messages);

  /** A send of {@code text} to the path {@code address}. */
  byte[] sendRequest(String address, String text);

  /** Whether a send answer means the message was accepted. */
  default boolean accepted(HttpResponse response) {
    return response.status() >= 200 && response.status() < 300;
  }

  /**
   * The wire a system speaks: {@code addressable} and {@code addressable-redis} (several relays
   * over one Redis) speak the relay's; {@code nchan} and {@code nchan-redis} (Nchan with its Redis
   * store) Nchan's.
   */
  static Target of(String system, String hostPort) {
    return switch (family(system)) {
      case "addressable" -> new AddressableTarget(hostPort);
      default -> new NchanTarget(hostPort);
    };
  }

  /** {@code addressable} or {@code nchan} for any system name run.sh knows; else refused, naming them. */
  static String family(String system) {
    return switch (system) {
      case "addressable", "addressable-redis" -> "addressable";
      case "nchan", "nchan-redis" -> "nchan";
      default -> throw new IllegalArgumentException(
          "system must be addressable, addressable-redis, nchan or nchan-redis: " + system);
    };
  }
}
