package dev.addressable.relay.http;

import dev.addressable.relay.testing.RelayClient.Answer;

/** Shared assertions for tests outside this package. */
public final class ConnectTestSupport {

  private ConnectTestSupport() {}

  /** The answer is the protocol's JSON error with this status and code. */
  public static void assertError(Answer answer, int status, String code) {
    ConnectTest.assertError(answer, status, code);
  }
}
