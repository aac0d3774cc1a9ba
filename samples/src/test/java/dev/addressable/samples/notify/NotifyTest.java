package dev.addressable.samples.notify;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.samples.SampleBrowser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * notify/: a notice sent to the client address reaches every open tab; one sent with {@code ttl=1}
 * is not shown to a tab that comes back 2 s later (by the relay's clock, which the test moves on),
 * while one sent at the same time with a long TTL is.
 */
@Timeout(60)
class NotifyTest {

  @RegisterExtension static final SampleBrowser browser = new SampleBrowser();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PAGE = "/samples/notify/";

  @Test
  void aStaleNoticeIsNotShownToATabThatComesBackWhileOpenTabsShowEveryNotice() throws Exception {
    BrowserContext user = browser.newProfile(); // one person, three tabs
    // Opened one after another, each connected before the next: tabs opened at the same moment
    // may still become two clients of one browser until tabs share a connection (issue 18).
    List<Page> tabs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Page tab = browser.open(user, PAGE);
      assertThat(tab.locator("#state")).hasAttribute("data-state", "open");
      tabs.add(tab);
    }
    Page returning = tabs.get(2);
    String clientUrl = clientUrl(returning);
    String channel = (String) returning.evaluate("() => server.url");

    JsonNode first = notice(clientUrl, "Anna", "changed project Nimbus: the release moves to Friday", "info", 60);
    assertEquals(3, first.get("channels").size(), "the client address reaches all three tabs: " + first);
    for (Page tab : tabs) {
      assertThat(tab.locator("#history .notice .text")).hasText("changed project Nimbus: the release moves to Friday");
    }

    // The third tab goes elsewhere: its channel stays live at the relay (window.name keeps its
    // name, sessionStorage its cursor), so notices keep arriving in its inbox while it is away.
    returning.navigate(browser.base() + "/samples/");
    JsonNode stale = notice(clientUrl, "Build bot", "the deploy window closes in one second", "urgent", 1);
    JsonNode fresh = notice(clientUrl, "Jonas", "added an urgent todo: call the customer back", "urgent", 60);
    assertEquals(3, stale.get("channels").size(), "the away tab's inbox got the ttl=1 notice too: " + stale);
    assertEquals(3, fresh.get("channels").size(), fresh.toString());
    for (Page open : tabs.subList(0, 2)) {
      assertThat(open.locator("#history .notice .text")).hasText(new String[] {
          "added an urgent todo: call the customer back", "the deploy window closes in one second",
          "changed project Nimbus: the release moves to Friday"});
    }

    // The ttl=1 notice must be past its TTL when the tab returns: 2 s later, by the relay's clock.
    browser.clock().advance(Duration.ofSeconds(2));
    returning.navigate(browser.base() + PAGE);
    assertThat(returning.locator("#state")).hasAttribute("data-state", "open");
    assertEquals(channel, returning.evaluate("() => server.url"), "the returning tab resumed its own channel");
    // The long-lived notice, sent after the stale one, arrives; so the stale one would have come first.
    // (The new document shows what came since the tab left: its saved cursor is past the first notice.)
    assertThat(returning.locator("#history .notice .text")).hasText(new String[] {
        "added an urgent todo: call the customer back"});
    assertThat(returning.locator("#history .expired")).hasCount(1); // the relay said: something expired
    assertThat(returning.locator(".toast")).hasCount(1);

    browser.assertNoPageErrors();
    browser.screenshot(tabs.get(0), "notify-open-tab");
    browser.screenshot(returning, "notify-returning-tab");
  }

  private static String clientUrl(Page tab) {
    assertThat(tab.locator("#client-url")).hasText(java.util.regex.Pattern.compile("^http://.+/m/[\\w-]+$"));
    return tab.locator("#client-url").textContent();
  }

  /** Sends a notice as a backend would: one GET to the client address, with a TTL. */
  private static JsonNode notice(String clientUrl, String from, String text, String level, int ttl) throws Exception {
    String json = JSON.writeValueAsString(java.util.Map.of("from", from, "text", text, "level", level));
    RelayClient.Answer answer = browser.http().get(
        clientUrl + "?ttl=" + ttl + "&message=" + URLEncoder.encode(json, StandardCharsets.UTF_8));
    assertEquals(202, answer.status(), answer.body());
    return answer.json();
  }
}
