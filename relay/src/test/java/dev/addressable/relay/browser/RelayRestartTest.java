package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.browser.Tab.Message;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay stops and starts again (same port, same data dir) under an open page. The page keeps
 * its client and key (derived from the relay's kept secret), so it reconnects by itself; the
 * inbox is new, so the library must say that messages may have been lost.
 */
@Timeout(60)
class RelayRestartTest {

  @RegisterExtension static final BrowserHarness browser = new BrowserHarness();

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "sse", "longpoll", "jsonp"})
  void aPageReconnectsAfterARelayRestartAndReportsTheGapHonestly(String transport) {
    Tab tab = browser.open("receiver.html?transports=" + transport + "&retryDelay=100&maxRetryDelay=400");
    String address = tab.address();
    tab.awaitOpen();
    browser.push(address, "before the restart");
    tab.awaitData(1);

    browser.restartRelay();

    // The new relay has no channels until the tab comes back; it hears "missed" when it does.
    tab.awaitTrue("missedCalls >= 1 && server.state === 'open'", "the page to reconnect and hear missed");
    browser.push(address, "after the restart");

    List<Message> got = tab.awaitMessages(2);
    assertEquals(List.of("before the restart", "after the restart"), tab.data());
    assertFalse(got.get(0).missed());
    assertTrue(got.get(1).missed(), "meta.missed on the first message after the restart");
    assertEquals(1L, got.get(1).seq(), "a new inbox counts from 1 again");
    assertEquals(address, tab.address(), "same client, same channel, same address");
    assertEquals(transport, tab.transport());
    if (transport.equals("websocket") || transport.equals("sse")) {
      // A poll may not notice at all: the relay can go and come back between two polls.
      assertTrue(((List<?>) tab.page().evaluate("() => states")).contains("reconnecting"), "the stream dropped");
    }
  }
}
