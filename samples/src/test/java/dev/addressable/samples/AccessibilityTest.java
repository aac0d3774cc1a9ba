package dev.addressable.samples;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.addressable.relay.testing.RelayClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every sample page as a screen-reader user meets it (issue 18): each form control has a name of
 * its own (a label or an aria-label, not only a placeholder), the connection state and arriving
 * messages are polite live regions and nothing larger is, the page brings its own icon so no
 * request ends in a 404, and a failure is told in words. The colours are {@link ContrastTest}'s.
 */
@Timeout(60)
class AccessibilityTest {

  @RegisterExtension static final SampleBrowser browser = new SampleBrowser();

  /** A sample page, where it announces arriving messages, and how many form controls it has. */
  enum Sample {
    CHAT("/samples/chat/", "#messages", 3),
    MONITOR("/samples/monitor/", "#heard", 0),
    NOTIFY("/samples/notify/", "#history", 4),
    DOORBELL("/samples/doorbell/", "#log", 0);

    final String path;
    final String messages;
    final int controls;

    Sample(String path, String messages, int controls) {
      this.path = path;
      this.messages = messages;
      this.controls = controls;
    }
  }

  /** The form controls that have neither a label with text, nor an aria-label, nor an aria-labelledby with text. */
  private static final String UNNAMED_CONTROLS = """
      () => [...document.querySelectorAll('input, textarea, select')].filter(c => {
        const text = el => (el ? el.textContent.trim() : '');
        if ((c.getAttribute('aria-label') || '').trim()) return false;
        const by = (c.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
        if (by.some(id => text(document.getElementById(id)))) return false;
        return ![...c.labels].some(label => text(label));
      }).map(c => c.outerHTML)""";

  /** How changes of an element are announced: its own or nearest ancestor's aria-live, role status/log (polite) or alert. */
  private static final String POLITENESS = """
      el => {
        for (let n = el; n; n = n.parentElement) {
          const live = n.getAttribute('aria-live');
          if (live) return live;
          const role = n.getAttribute('role') || (n.tagName === 'OUTPUT' ? 'status' : '');
          if (role === 'status' || role === 'log') return 'polite';
          if (role === 'alert') return 'assertive';
        }
        return 'off';
      }""";

  /** Live regions that hold more than a line or a list: a control, a heading, a section, the page itself. */
  private static final String LARGE_LIVE_REGIONS = """
      () => [...document.querySelectorAll(
          '[aria-live]:not([aria-live=off]), [role=status]:not([aria-live=off]), [role=log]:not([aria-live=off]), [role=alert]')]
        .filter(r => r.matches('html, body, main, header, section, .card')
          || r.querySelector('input, textarea, select, button, h1, h2, h3, section, [aria-live], [role=status], [role=log]'))
        .map(r => r.outerHTML.slice(0, 120))""";

  /** Loads an icon's href as an image: its width, 0 if it does not load. */
  private static final String ICON_WIDTH = """
      link => new Promise(done => {
        const image = new Image();
        image.onload = () => done(image.naturalWidth);
        image.onerror = () => done(0);
        image.src = link.href;
      })""";

  @ParameterizedTest
  @EnumSource(Sample.class)
  void everyControlHasANameAndStateAndMessagesAreAnnouncedPolitely(Sample sample) {
    List<String> failed = new CopyOnWriteArrayList<>();
    BrowserContext profile = browser.newProfile();
    profile.onResponse(r -> {
      if (r.status() >= 400) {
        failed.add(r.status() + " " + r.url());
      }
    });
    Page page = browser.open(profile, sample.path);
    assertThat(page.locator("#state")).hasAttribute("data-state", "open");

    Locator controls = page.locator("input, textarea, select");
    assertThat(controls).hasCount(sample.controls);
    assertEquals(List.of(), page.evaluate(UNNAMED_CONTROLS), "controls without a label or an aria-label");
    for (Locator control : controls.all()) {
      assertThat(control).hasAccessibleName(Pattern.compile("\\S"));
    }

    assertThat(page.locator("#state")).hasRole(AriaRole.STATUS);
    assertEquals("polite", page.locator("#state").evaluate(POLITENESS), "the state pill");
    assertEquals("polite", page.locator(sample.messages).evaluate(POLITENESS), "arriving messages: " + sample.messages);
    assertEquals("polite", page.locator("#problem").evaluate(POLITENESS), "the failure reason");
    assertEquals(List.of(), page.evaluate(LARGE_LIVE_REGIONS), "live regions that would re-read much of the page");

    assertIcon(page);
    assertEquals(List.of(), failed, "requests that failed");
    browser.assertNoPageErrors();
  }

  @Test
  void theIndexPageHasAnIconAndNoRequestFails() {
    List<String> failed = new CopyOnWriteArrayList<>();
    BrowserContext profile = browser.newProfile();
    profile.onResponse(r -> {
      if (r.status() >= 400) {
        failed.add(r.status() + " " + r.url());
      }
    });
    Page page = browser.open(profile, "/samples/");
    assertThat(page.locator(".sample")).hasCount(4);
    assertIcon(page);
    assertEquals(List.of(), failed, "requests that failed");
  }

  @Test
  void chatSaysInWordsWhyAMessageWasNotSent() {
    Page page = browser.open("/samples/chat/");
    assertThat(page.locator("#state")).hasAttribute("data-state", "open");
    assertThat(page.locator("#peer")).hasAccessibleName("Address of the tab you talk to");
    assertThat(page.locator("#text")).hasAccessibleName("Message");

    // Not an address at all: refused before anything is sent, in the presence line (a live region).
    page.fill("#peer", "my friend's tab");
    page.press("#peer", "Enter");
    assertThat(page.locator("#presence")).hasText("That is not a tab address (…/m/<client>/<tab>).");
    assertThat(page.locator("#peer")).hasAccessibleDescription(Pattern.compile("not a tab address"));

    // An address of the right shape, but no tab ever connected there: the relay's reason, as text.
    page.fill("#peer", browser.base() + "/m/AAAAAAAAAAAAAAAAAAAAAA/nobody");
    page.press("#peer", "Enter");
    page.fill("#text", "Anyone there?");
    page.press("#text", "Enter");
    Locator sent = page.locator("#messages .message.out");
    assertThat(sent.locator(".tick")).hasAttribute("data-state", "failed");
    assertThat(sent.locator(".tick")).hasText("not sent");
    assertThat(sent.locator(".error")).hasText(
        "Not sent: nobody is at this address now: the tab has not connected, or went idle; "
            + "it is live again once it connects (unknown_address)");
    assertThat(sent.locator(".error")).isVisible();
    browser.assertNoPageErrors();
    browser.screenshot(page, "chat-not-sent");
  }

  @Test
  void aRefusedConnectIsShownInWordsUntilThePageIsBack() {
    BrowserContext profile = browser.newProfile();
    String refusal = "{\"error\":\"memory_full\",\"message\":\"the relay's memory budget is used up; try again shortly\"}";
    profile.route("**/connect", route -> route.fulfill(new Route.FulfillOptions()
        .setStatus(503).setContentType("application/json").setHeaders(Map.of("Retry-After", "1")).setBody(refusal)));
    Page page = browser.open(profile, "/samples/notify/");
    assertThat(page.locator("#problem")).hasText(
        "Connection problem: the relay's memory budget is used up; try again shortly (memory_full)");
    assertThat(page.locator("#state")).not().hasAttribute("data-state", "open");

    profile.unrouteAll();
    assertThat(page.locator("#state")).hasAttribute("data-state", "open");
    assertThat(page.locator("#problem")).isEmpty();
    browser.assertNoPageErrors();
  }

  @Test
  void theMonitorSumsUpArrivingEventsInItsLiveRegion() {
    Page page = browser.open("/samples/monitor/");
    assertThat(page.locator("#monitor")).hasAttribute("data-subscribed", "yes");
    String publishUrl = browser.http().get("/samples/monitor/api/topic").json().get("url").asText();
    RelayClient.Answer sent = browser.http().sendGet(publishUrl, "checkout: €42.90 from Oslo");
    assertEquals(202, sent.status(), sent.body());
    assertThat(page.locator("#total")).hasText("1");
    // The summary comes at most every 10 s, so give it one period more than the usual wait.
    assertThat(page.locator("#heard")).hasText("1 new event: checkout: €42.90 from Oslo",
        new LocatorAssertions.HasTextOptions().setTimeout(15_000));
    browser.assertNoPageErrors();
  }

  private static void assertIcon(Page page) {
    Locator icon = page.locator("link[rel=icon]");
    assertThat(icon).hasCount(1);
    assertThat(icon).hasAttribute("href", Pattern.compile("^data:image/svg\\+xml,"));
    Object width = icon.evaluate(ICON_WIDTH);
    assertTrue(((Number) width).intValue() > 0, "the icon loads as an image: " + width);
  }
}
