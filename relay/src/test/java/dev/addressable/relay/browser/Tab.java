package dev.addressable.relay.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One browser tab running a test page, and a recorder of what its {@code onmessage} got. The page's
 * {@code log()} (see {@code harness.js}) calls the {@code recordMessage} binding, which outlives
 * reloads, so the record spans every document the tab loads. Bindings are handled while Playwright
 * waits, so read the record through the {@code await…} methods. Not thread-safe (nor is Playwright).
 */
final class Tab {

  /**
   * One call of the page's onmessage: the message, its meta ({@code seq}, {@code missed}), and the
   * library's transport and address at that moment.
   */
  record Message(String data, Long seq, boolean missed, String transport, String url) {}

  static final double TIMEOUT_MS = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Page page;
  private final List<Message> messages = new ArrayList<>();
  private final List<String> console = new ArrayList<>();

  Tab(Page page) {
    this.page = page;
    page.exposeFunction("recordMessage", args -> {
      messages.add(parse((String) args[0]));
      return null;
    });
    page.onConsoleMessage(m -> console.add(m.type() + ": " + m.text()));
    page.onPageError(e -> console.add("pageerror: " + e));
    // Without the query: it may carry the key.
    page.onRequestFailed(r -> console.add("requestfailed: " + r.method() + " " + r.url().replaceFirst("\\?.*", "")
        + " " + r.failure()));
  }

  Page page() {
    return page;
  }

  Tab open(String url) {
    page.navigate(url);
    return this;
  }

  /** This tab's address once the library knows it ({@code server.url}). */
  String address() {
    return awaitValue("server.url");
  }

  /** The client-wide address, reaching every tab of this client ({@code server.clientUrl}). */
  String clientAddress() {
    return awaitValue("server.clientUrl");
  }

  String state() {
    return (String) page.evaluate("() => server.state");
  }

  String transport() {
    return (String) page.evaluate("() => server.transport");
  }

  /** Waits until {@code server.state} is 'open' (a transport is established). */
  Tab awaitOpen() {
    awaitTrue("server.state === 'open'", "the library to open a transport");
    return this;
  }

  /** Waits until the JavaScript expression is truthy in the page; fails with the page's state if it never is. */
  void awaitTrue(String expression, String what) {
    try {
      page.waitForFunction("() => !!(window.server && (" + expression + "))", null,
          new Page.WaitForFunctionOptions().setTimeout(TIMEOUT_MS).setPollingInterval(20));
    } catch (PlaywrightException e) {
      throw new AssertionError("timed out waiting for " + what + " (" + expression + "); " + describe(), e);
    }
  }

  /** Waits until at least {@code count} messages were recorded and returns all of them. */
  List<Message> awaitMessages(int count) {
    try {
      page.waitForCondition(() -> messages.size() >= count,
          new Page.WaitForConditionOptions().setTimeout(TIMEOUT_MS));
    } catch (PlaywrightException e) {
      throw new AssertionError("expected " + count + " messages, got " + messages.size() + ": " + data() + "; "
          + describe(), e);
    }
    return messages();
  }

  /** Waits until at least {@code count} messages were recorded and returns all their texts. */
  List<String> awaitData(int count) {
    awaitMessages(count);
    return data();
  }

  /** The message texts recorded so far, in the order onmessage saw them. */
  List<String> data() {
    return messages.stream().map(Message::data).collect(Collectors.toList());
  }

  List<Message> messages() {
    return List.copyOf(messages);
  }

  /** The page's state, errors and console, for failure messages. */
  String describe() {
    String inPage;
    try {
      inPage = String.valueOf(page.evaluate("() => JSON.stringify({state: window.server && server.state,"
          + " transport: window.server && server.transport, states: window.states, errors: window.errors,"
          + " missedCalls: window.missedCalls, shown: document.body.innerText,"
          + " hub: window.server && server._peer && server._peer.hub && {transport: server._peer.hub.conn.transport,"
          + " state: server._peer.hub.conn.state, channels: server._peer.hub.channels, list: server._peer.hub.list()},"
          + " pendingScripts: Array.from(document.scripts).map(s => s.src).filter(src => src.includes('/poll'))})"));
    } catch (PlaywrightException e) {
      inPage = "(page not readable: " + e.getMessage() + ")";
    }
    return "page " + inPage + ", console " + console;
  }

  private String awaitValue(String expression) {
    awaitTrue(expression, expression);
    return (String) page.evaluate("() => " + expression);
  }

  private static Message parse(String json) {
    try {
      JsonNode m = JSON.readTree(json);
      return new Message(m.get("data").asText(), longOrNull(m.get("seq")), m.get("missed").asBoolean(),
          m.get("transport").asText(null), m.get("url").asText(null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Long longOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n.asLong();
  }
}
