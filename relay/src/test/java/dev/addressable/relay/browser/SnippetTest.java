package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The UniversalComet snippet of 2008, unchanged, in a real browser (page: {@code browser/snippet.html}). */
@Timeout(60)
class SnippetTest {

  @RegisterExtension static final BrowserHarness browser = new BrowserHarness();

  @Test
  void theSnippetOf2008ReceivesAMessagePushedByAPlainGet() {
    Tab tab = browser.open("snippet.html");
    String address = tab.address();
    assertTrue(address.startsWith(browser.relay().base() + "/m/"), address);
    assertTrue(address.endsWith("/myChannel"), "setChannel before connect names the address: " + address);

    browser.push(address, "hello from 2008 & today");

    assertEquals(List.of("hello from 2008 & today"), tab.awaitData(1));
    assertEquals("open", tab.state());
  }
}
