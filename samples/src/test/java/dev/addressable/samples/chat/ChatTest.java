package dev.addressable.samples.chat;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import dev.addressable.samples.SampleBrowser;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** chat/: two browsers talk peer to peer through the relay, with delivery ticks. */
@Timeout(60)
class ChatTest {

  @RegisterExtension static final SampleBrowser browser = new SampleBrowser();

  @Test
  void twoBrowsersChatAndSeeTheirMessagesReceived() {
    Page anna = browser.open("/samples/chat/");
    Page ben = browser.open("/samples/chat/");
    String annaAddress = addressOf(anna);
    String benAddress = addressOf(ben);
    anna.fill("#name", "Anna");
    ben.fill("#name", "Ben");

    // Ben pastes Anna's address and writes; Anna's tab learns Ben's address from the message.
    ben.fill("#peer", annaAddress);
    ben.press("#peer", "Enter");
    assertThat(ben.locator("#presence")).hasAttribute("data-online", "yes");
    say(ben, "Hi Anna, the build is green again");
    assertThat(anna.locator(".message.in .text")).hasText("Hi Anna, the build is green again");
    assertThat(anna.locator(".message.in .who")).containsText("Ben");
    assertThat(anna.locator("#peer")).hasValue(benAddress);
    assertThat(ben.locator(".message.out .tick")).hasAttribute("data-state", "received");

    say(anna, "Great, thanks! Shipping it now.");
    assertThat(ben.locator(".message.in .text")).hasText("Great, thanks! Shipping it now.");
    assertThat(anna.locator(".message.out .tick")).hasAttribute("data-state", "received");

    say(ben, "Ping me when it is live");
    assertThat(anna.locator(".message.in .text").last()).hasText("Ping me when it is live");
    assertThat(ben.locator(".message.out .tick").last()).hasAttribute("data-state", "received");

    browser.assertNoPageErrors();
    browser.screenshot(anna, "chat-anna");
    browser.screenshot(ben, "chat-ben");
  }

  @Test
  void aMessageToATabThatIsGoneGetsOneTick() {
    Page anna = browser.open("/samples/chat/");
    Page ben = browser.open("/samples/chat/");
    String annaAddress = addressOf(anna);
    addressOf(ben);
    anna.close(); // her channel stays live at the relay for a while, with nobody reading it

    ben.fill("#peer", annaAddress);
    ben.press("#peer", "Enter");
    say(ben, "Are you still there?");
    // The relay accepts the message (202) but nobody confirms it within the 5 s receipt wait.
    assertThat(ben.locator(".message.out .tick")).hasAttribute("data-state", "accepted",
        new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions().setTimeout(9_000));
    browser.assertNoPageErrors();
  }

  private static String addressOf(Page page) {
    assertThat(page.locator("#state")).hasAttribute("data-state", "open");
    assertThat(page.locator("#me")).hasText(Pattern.compile("^http://.+/m/[\\w-]+/[\\w-]+$"));
    return page.locator("#me").textContent();
  }

  private static void say(Page page, String text) {
    page.fill("#text", text);
    page.press("#text", "Enter");
  }
}
