package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.TestRelay;

/**
 * What both browser harnesses give a test: the relay under test, the test pages on two origins
 * ({@link PageServer}), a backend's push and the relay's metrics. The harness starts and stops them.
 */
abstract class RelayAndPages {

  TestRelay relay;
  PageServer pagesA;
  PageServer pagesB;

  PageServer pagesA() {
    return pagesA;
  }

  PageServer pagesB() {
    return pagesB;
  }

  TestRelay relay() {
    return relay;
  }

  /** Pushes like any backend: {@code GET address?message=…} over java.net.http; asserts 202. */
  Answer push(String address, String message) {
    Answer answer = relay.client().sendGet(address, message);
    assertEquals(202, answer.status(), () -> "push of " + message + ": " + answer.body());
    return answer;
  }

  /** A gauge or counter of the relay's {@code /metrics} now, e.g. {@code addressable_hubs_open}. */
  long metric(String name) {
    return relay.metric(name);
  }

  /**
   * Hubs open at the relay, the most of ten readings 20 ms apart: a long-poll hub is closed for a
   * moment between two of its polls, which one reading may fall into.
   */
  long hubsOpen() {
    long most = 0;
    for (int i = 0; i < 10; i++) {
      most = Math.max(most, metric("addressable_hubs_open"));
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return most;
  }
}
