package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.microsoft.playwright.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Browser to browser: a page on one origin pushes with {@code server.send} to a tab on another. */
@Timeout(60)
class CrossOriginSendTest {

  @RegisterExtension static final BrowserHarness browser = new BrowserHarness();

  @Test
  void aPageOnAnotherOriginSendsToATabsAddressAndTheTabReceivesIt() {
    Tab receiver = browser.open("receiver.html");
    String address = receiver.address();
    receiver.awaitOpen();

    Tab sender = browser.newTab(browser.newContext()).open(browser.pagesB().url("sender.html"));
    assertNotEquals(browser.pagesA().origin(), browser.pagesB().origin());
    List<String> requests = new ArrayList<>();
    sender.page().onRequest((Request r) -> {
      if (r.url().startsWith(address)) {
        requests.add(r.method() + " " + r.resourceType());
      }
    });

    Object answer = sender.page().evaluate("([url, message]) => sendTo(url, message)",
        List.of(address, "hello from " + browser.pagesB().origin()));

    assertEquals(List.of("hello from " + browser.pagesB().origin()), receiver.awaitData(1));
    assertEquals(1, ((Number) ((Map<?, ?>) answer).get("seq")).intValue(), String.valueOf(answer));
    assertEquals(List.of("POST fetch"), requests, "a CORS fetch, without falling back to JSONP");
  }
}
