package dev.addressable.bench.system;

import dev.addressable.bench.load.HttpResponse;
import java.util.function.Consumer;

/**
 * How the load generator talks to one system under test: the requests a receiver makes (an
 * optional setup, then long-polls) and the request a sender makes. Stateless; per-receiver state
 * lives in {@link Subscription}. Implementations build raw HTTP/1.1 requests.
 */
public interface Target {

  /** {@code addressable} or {@code nchan}. */
  String system();

  /** The request that prepares {@code s} before its first poll, or null if none is needed. */
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

  static Target of(String system, String hostPort) {
    return switch (system) {
      case "addressable" -> new AddressableTarget(hostPort);
      case "nchan" -> new NchanTarget(hostPort);
      default -> throw new IllegalArgumentException("system must be addressable or nchan: " + system);
    };
  }
}
