package dev.addressable.samples.doorbell;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import dev.addressable.samples.SampleBrowser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** doorbell/: two clients of the shared counter see each other's increments through the doorbell. */
@Timeout(60)
class DoorbellTest {

  @RegisterExtension static final SampleBrowser browser = new SampleBrowser();

  @Test
  void twoClientsSeeEachOthersIncrements() {
    Page left = browser.open("/samples/doorbell/");
    Page right = browser.open("/samples/doorbell/");
    List<String> rightWaits = new ArrayList<>();
    right.onRequest((Request r) -> {
      if (r.url().contains("/ev/")) {
        rightWaits.add(r.url());
      }
    });
    for (Page page : List.of(left, right)) {
      assertThat(page.locator("#count")).hasText("0");
      assertThat(page.locator("#state")).hasText("waiting for the doorbell");
    }

    left.click("#increment");
    assertThat(left.locator("#count")).hasText("1");
    assertThat(right.locator("#count")).hasText("1"); // woken by the doorbell, then read the counter
    assertThat(right.locator("#log li").first()).containsText("the doorbell rang: the counter is 1");

    right.click("#increment");
    right.click("#increment");
    assertThat(right.locator("#count")).hasText("3");
    assertThat(left.locator("#count")).hasText("3");
    assertThat(left.locator("#version")).hasText("version 3");

    // The right page learnt of the left's press through a script tag on the next version's doorbell.
    org.junit.jupiter.api.Assertions.assertTrue(rightWaits.stream().anyMatch(u -> u.matches(".*/ev/[\\w-]+-v1\\?timeout=25&callback=rang")),
        "the right page waited on the v1 doorbell after reading v1: " + rightWaits);
    browser.assertNoPageErrors();
    browser.screenshot(left, "doorbell");
  }

  /**
   * Two tabs of one browser: one waits, the other shows what the waiting tab tells it, the
   * trouble included. The waiting tab's waits are cut off (as a proxy that drops them would), and
   * both tabs say so in words; let through again, both are back.
   */
  @Test
  void aTabThatDoesNotWaitShowsTheWaitingTabsTroubleAndItsRecovery() {
    BrowserContext profile = browser.newProfile();
    Page waiter = browser.open(profile, "/samples/doorbell/");
    assertThat(waiter.locator("#state")).hasText("waiting for the doorbell");
    Page other = browser.open(profile, "/samples/doorbell/");
    List<String> otherWaits = new ArrayList<>();
    other.onRequest((Request r) -> {
      if (r.url().contains("/ev/")) {
        otherWaits.add(r.url());
      }
    });
    assertThat(other.locator("#state")).hasText("waiting for the doorbell");
    int before = Integer.parseInt(other.locator("#count").textContent()); // the counter is the class's

    waiter.route("**/ev/**", route -> route.abort());
    other.click("#increment"); // rings the doorbell: the waiting tab reads, and its next wait is cut off
    assertThat(other.locator("#state")).hasText("reconnecting");
    assertThat(other.locator("#problem")).containsText("did not answer the wait");

    waiter.unroute("**/ev/**");
    assertThat(other.locator("#state")).hasText("waiting for the doorbell");
    assertThat(other.locator("#problem")).hasText("");
    assertThat(other.locator("#count")).hasText(Integer.toString(before + 1));
    org.junit.jupiter.api.Assertions.assertEquals(List.of(), otherWaits, "one tab waits for the browser");
    browser.assertNoPageErrors();
  }
}
