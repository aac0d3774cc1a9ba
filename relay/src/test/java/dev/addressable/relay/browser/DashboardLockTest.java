package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.addressable.relay.config.AdminConfig;
import dev.addressable.relay.testing.RelayClient.Answer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A relay started with {@code --admin-token}: {@code /metrics} and {@code /dashboard} answer only
 * the bearer of the token, over plain HTTP and in Chromium, where the dashboard comes up locked,
 * shows nothing, and unlocks with the token typed in (kept in session storage).
 */
@Timeout(90)
class DashboardLockTest {

  private static final String TOKEN = "dashboard-test-token_0123456789";

  @RegisterExtension
  static final BrowserHarness browser = new BrowserHarness(c -> c.withAdmin(new AdminConfig(TOKEN)));

  /** Chromium reports each 401 it was answered as a console error; those are expected here. */
  private static boolean expected401(String console) {
    return console.contains("status of 401");
  }

  private Answer get(String path, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(browser.relay().base() + path))
        .timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return browser.relay().client().send(request.build()).join();
  }

  @Test
  void metricsAndTheDashboardAnswerOnlyTheBearerOverPlainHttp() {
    Answer none = get("/metrics", null);
    assertEquals(401, none.status());
    assertTrue(none.header("WWW-Authenticate").startsWith("Bearer"), none.header("WWW-Authenticate"));
    assertEquals("admin_token_required", none.json().get("error").asText(), none.body());
    assertFalse(none.body().contains("addressable_"), none.body());

    Answer wrong = get("/metrics", "Bearer not-the-token-0123456789");
    assertEquals(401, wrong.status());
    assertTrue(wrong.header("WWW-Authenticate").startsWith("Bearer"));
    assertEquals("wrong_admin_token", wrong.json().get("error").asText(), wrong.body());

    Answer right = get("/metrics", "Bearer " + TOKEN);
    assertEquals(200, right.status());
    assertTrue(right.body().contains("\naddressable_messages_sent_total "), right.body());

    Answer lockedPage = get("/dashboard", null);
    assertEquals(401, lockedPage.status());
    assertTrue(lockedPage.header("WWW-Authenticate").startsWith("Bearer"));
    assertTrue(lockedPage.header("Content-Type").startsWith("text/html"), lockedPage.header("Content-Type"));
    assertTrue(lockedPage.body().contains("data-access=\"locked\""), lockedPage.body());
    assertFalse(lockedPage.body().contains(TOKEN));

    Answer openPage = get("/dashboard", "Bearer " + TOKEN);
    assertEquals(200, openPage.status());
    assertTrue(openPage.body().contains("data-access=\"open\""), openPage.body());

    assertEquals(200, get("/dashboard.js", null).status(), "the script holds no data");
    assertEquals(200, get("/dashboard.css", null).status(), "the stylesheet holds no data");
    assertEquals(200, get("/health", null).status(), "health stays open for load balancers");
  }

  @Test
  void thePageShowsNothingUntilTheRightTokenIsTypedIn() {
    List<String> metricsReads = new ArrayList<>();
    DashboardPage dashboard = DashboardPage.open(browser, browser.relay().base() + "/dashboard",
        DashboardLockTest::expected401);
    Page page = dashboard.page();
    page.onRequest(r -> {
      if (r.url().endsWith("/metrics")) {
        metricsReads.add(r.headers().containsKey("authorization") ? "with token" : "without");
      }
    });
    assertEquals(401, dashboard.status());
    dashboard.awaitTrue("the lock", "!document.getElementById('lock').hidden");
    assertTrue((Boolean) page.evaluate("() => document.getElementById('charts').hidden"));
    assertEquals("–", dashboard.text("parked-value"));
    assertEquals(List.of(), metricsReads, "a locked page without a token reads nothing");

    page.focus("#token");
    page.keyboard().type("not-the-token-0123456789");
    page.keyboard().press("Enter");
    dashboard.awaitTrue("the refusal", "document.getElementById('lock-error').textContent.includes('refused')");
    assertNull(page.evaluate("() => sessionStorage.getItem('addressable.adminToken')"), "a refused token is forgotten");
    assertTrue((Boolean) page.evaluate("() => document.getElementById('charts').hidden"));

    page.focus("#token");
    page.keyboard().type(TOKEN);
    page.keyboard().press("Enter");
    dashboard.awaitReads(1);
    dashboard.awaitTrue("the charts", "!document.getElementById('charts').hidden && document.getElementById('lock').hidden");
    assertTrue(dashboard.text("channels-value").matches("\\d+"), dashboard.text("channels-value"));
    assertEquals(TOKEN, page.evaluate("() => sessionStorage.getItem('addressable.adminToken')"));
    assertTrue(metricsReads.contains("with token"), metricsReads.toString());

    page.reload();
    dashboard.awaitReads(1); // locked again by the server, unlocked by the token the tab kept
    dashboard.awaitTrue("the charts after a reload", "!document.getElementById('charts').hidden");

    page.click("#forget");
    dashboard.awaitTrue("the lock after forgetting", "!document.getElementById('lock').hidden");
    assertNull(page.evaluate("() => sessionStorage.getItem('addressable.adminToken')"));
    dashboard.assertNoProblems();
  }
}
