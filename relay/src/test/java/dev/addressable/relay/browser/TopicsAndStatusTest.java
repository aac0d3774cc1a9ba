package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import dev.addressable.relay.testing.RelayClient.Answer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Topics and online status as a page sees them, through server.subscribe() and server.status(). */
@Timeout(60)
class TopicsAndStatusTest {

  /** A one-second grace, so a closed tab turns offline within the test's patience. */
  @RegisterExtension static final BrowserHarness browser =
      new BrowserHarness(c -> c.withPresence(c.presence().withGrace(Duration.ofSeconds(1))));

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void threeTabsSubscribedToOneTopicAllShowAPublish() throws Exception {
    JsonNode topic = JSON.readTree(browser.relay().client().post("/topics", null, null).body());
    String url = topic.get("url").asText();
    BrowserContext profile = browser.newContext();
    List<Tab> tabs = List.of(
        browser.newTab(profile).open(browser.pagesA().url("receiver.html")),
        browser.newTab(profile).open(browser.pagesA().url("receiver.html")),
        browser.newTab(profile).open(browser.pagesA().url("receiver.html")));
    for (Tab tab : tabs) {
      tab.awaitOpen();
      Object subscribed = tab.page().evaluate("([url, key]) => server.subscribe(url, key).then(a => a.subscribed)",
          List.of(url, topic.get("subscribeKey").asText()));
      assertEquals(Boolean.TRUE, subscribed);
    }
    Answer published = browser.push(url, "to every subscribed tab");
    assertEquals(3, JSON.readTree(published.body()).get("subscribers").asInt(), published.body());
    for (Tab tab : tabs) {
      assertEquals(List.of("to every subscribed tab"), tab.awaitData(1));
      assertEquals(topic.get("topic").asText(), tab.page().evaluate("() => window.lastMeta && window.lastMeta.topic"),
          "onmessage's meta names the topic");
    }
  }

  @Test
  void statusOfAClosedTabTurnsOfflineAfterTheGracePeriod() {
    Tab watched = browser.open("receiver.html");
    Tab watcher = browser.open("receiver.html");
    watched.awaitOpen();
    watcher.awaitOpen();
    String address = watched.address();
    assertEquals(Boolean.TRUE, status(watcher, address).get("online"), "an open tab is online");

    watched.page().close();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    Map<?, ?> now;
    while (Boolean.TRUE.equals((now = status(watcher, address)).get("online"))) {
      assertTrue(System.nanoTime() < deadline, "the closed tab never turned offline: " + now);
      watcher.page().waitForTimeout(100); // bounded polling of a status that changes on the relay's clock
    }
    assertFalse((Boolean) now.get("online"));
    assertTrue(((Number) now.get("lastSeen")).longValue() > System.currentTimeMillis() - 20_000, now.toString());
  }

  private static Map<?, ?> status(Tab tab, String address) {
    return (Map<?, ?>) tab.page().evaluate("(a) => server.status(a)", address);
  }
}
