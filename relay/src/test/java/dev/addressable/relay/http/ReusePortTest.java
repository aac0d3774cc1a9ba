package dev.addressable.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.config.StartupException;
import dev.addressable.relay.testing.RawHttp;
import dev.addressable.relay.testing.TestRelay;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --reuse-port}: two relays bound to one port both serve it, the kernel spreading new
 * connections over them; without the flag the second is refused with a message that names it.
 */
@Timeout(60)
class ReusePortTest {

  /** Fresh connections, each a new source port: two listeners all but surely both get some. */
  private static final int CONNECTIONS = 64;

  private static final String CONNECT = "POST /connect HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
      + "Content-Length: 2\r\nConnection: close\r\n\r\n{}";

  private static UnaryOperator<RelayConfig> reusePort(boolean on, int port) {
    return c -> c.withServer(c.server().withReusePort(on).withPort(port));
  }

  @Test
  void twoRelaysWithReusePortShareOnePortAndBothServe() throws Exception {
    try (TestRelay first = TestRelay.start(reusePort(true, 0));
        TestRelay second = TestRelay.start(reusePort(true, first.port()))) {
      assertEquals(first.port(), second.port());
      for (int i = 0; i < CONNECTIONS; i++) {
        RawHttp.Raw answer = RawHttp.exchange(first.port(), CONNECT);
        assertEquals(200, answer.status(), answer.text());
      }
      int a = first.relay().store().counts().channels();
      int b = second.relay().store().counts().channels();
      assertEquals(CONNECTIONS, a + b);
      assertTrue(a > 0 && b > 0, "one relay got every connection: " + a + " and " + b);
    }
  }

  @Test
  void withoutReusePortTheSecondRelayIsRefusedWithAClearMessage() throws Exception {
    try (TestRelay first = TestRelay.start(reusePort(false, 0))) {
      StartupException e = assertThrows(StartupException.class, () -> TestRelay.start(reusePort(false, first.port())).close());
      assertTrue(e.getMessage().contains(":" + first.port()) && e.getMessage().contains("in use")
          && e.getMessage().contains("--reuse-port"), e.getMessage());
      // The first relay is untouched.
      assertEquals(200, RawHttp.exchange(first.port(), CONNECT).status());
    }
  }

  @Test
  void aRelayWithReusePortCannotJoinOneThatHasNone() {
    try (TestRelay first = TestRelay.start(reusePort(false, 0))) {
      StartupException e = assertThrows(StartupException.class, () -> TestRelay.start(reusePort(true, first.port())).close());
      assertTrue(e.getMessage().contains("did not bind it with SO_REUSEPORT"), e.getMessage());
    }
  }
}
