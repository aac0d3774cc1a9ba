package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.addressable.relay.testing.RelayClient.Answer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tabs of one browser profile: one address each, one client-wide address, reloads and duplicated tabs. */
@Timeout(60)
class TabsTest {

  @RegisterExtension static final BrowserHarness browser = new BrowserHarness();

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void twoTabsGetTwoAddressesAndTheClientWideAddressReachesBoth() throws Exception {
    BrowserContext profile = browser.newContext();
    Tab first = browser.newTab(profile).open(browser.pagesA().url("receiver.html"));
    Tab second = browser.newTab(profile).open(browser.pagesA().url("receiver.html"));

    assertNotEquals(first.address(), second.address(), "one address per tab");
    assertEquals(first.clientAddress(), second.clientAddress(), "one client per profile and origin");
    assertTrue(first.address().startsWith(first.clientAddress() + "/"), first.address());
    first.awaitOpen();
    second.awaitOpen();

    browser.push(first.address(), "to the first tab");
    browser.push(second.address(), "to the second tab");
    Answer everyone = browser.push(first.clientAddress(), "to every tab");
    JsonNode answer = JSON.readTree(everyone.body());
    assertEquals(2, answer.get("channels").size(), everyone.body());

    assertEquals(List.of("to the first tab", "to every tab"), first.awaitData(2));
    assertEquals(List.of("to the second tab", "to every tab"), second.awaitData(2));
  }

  /**
   * The message "during the reload" is pushed from inside the route that serves the new document
   * its addressable.js: the old document is gone by then and the new one has not connected yet.
   */
  @ParameterizedTest
  @ValueSource(strings = {"websocket", "sse", "longpoll", "jsonp"})
  void aReloadKeepsTheAddressAndAMessageSentDuringItArrivesExactlyOnce(String transport) {
    Tab tab = browser.open("receiver.html?transports=" + transport);
    String address = tab.address();
    tab.awaitOpen();
    browser.push(address, "before 1");
    browser.push(address, "before 2");
    assertEquals(List.of("before 1", "before 2"), tab.awaitData(2));

    AtomicInteger scriptLoads = new AtomicInteger();
    tab.page().route(browser.relay().base() + "/addressable.js", route -> {
      if (scriptLoads.getAndIncrement() == 0) {
        browser.push(address, "during the reload");
      }
      route.resume();
    });
    tab.page().reload(new Page.ReloadOptions().setTimeout(Tab.TIMEOUT_MS));

    assertEquals(1, scriptLoads.get(), "the new document loaded the library once");
    assertEquals(address, tab.address(), "the reloaded tab keeps its address");
    assertEquals(List.of("before 1", "before 2", "during the reload"), tab.awaitData(3));
    browser.push(address, "after the reload");
    assertEquals(List.of("before 1", "before 2", "during the reload", "after the reload"), tab.awaitData(4),
        "each message once, none of the earlier ones again");
    assertEquals(transport, tab.transport());
  }

  @Test
  void aDuplicatedTabGetsAChannelOfItsOwn() {
    BrowserContext profile = browser.newContext();
    Tab original = browser.newTab(profile).open(browser.pagesA().url("receiver.html"));
    String originalAddress = original.address();
    original.awaitOpen();
    browser.push(originalAddress, "before the duplicate");
    original.awaitData(1);

    // What "Duplicate tab" copies: window.name and sessionStorage (with the saved cursor).
    String copied = (String) original.page().evaluate("() => JSON.stringify({name: window.name,"
        + " session: Object.fromEntries(Object.keys(sessionStorage).map(k => [k, sessionStorage.getItem(k)]))})");
    Tab duplicate = browser.newTab(profile);
    duplicate.page().addInitScript("(() => { const copy = " + copied + ";"
        + " if (sessionStorage.getItem('duplicated')) return; sessionStorage.setItem('duplicated', '1');"
        + " window.name = copy.name;"
        + " for (const [k, v] of Object.entries(copy.session)) sessionStorage.setItem(k, v); })()");
    duplicate.open(browser.pagesA().url("receiver.html"));

    assertEquals(jsonField(copied, "name"), duplicate.page().evaluate("() => initialWindowName"),
        "the duplicate started with the original's window.name");
    // The original answers the duplicate's question within 150 ms, or later; then the duplicate moves late.
    duplicate.awaitTrue("server.url && server.url !== " + JSON.valueToTree(originalAddress),
        "the duplicate to take a channel of its own");
    String duplicateAddress = duplicate.address();
    duplicate.awaitOpen();
    assertEquals(original.clientAddress(), duplicate.clientAddress(), "same profile, same client");

    browser.push(originalAddress, "to the original");
    browser.push(duplicateAddress, "to the duplicate");
    assertEquals(List.of("before the duplicate", "to the original"), original.awaitData(2));
    assertEquals(List.of("to the duplicate"), duplicate.awaitData(1));
    assertEquals(originalAddress, original.address(), "the original kept its address");
  }

  private static String jsonField(String json, String field) {
    try {
      return JSON.readTree(json).get(field).asText();
    } catch (Exception e) {
      throw new AssertionError(json, e);
    }
  }
}
