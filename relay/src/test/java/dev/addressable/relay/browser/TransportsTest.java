package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.addressable.relay.browser.Tab.Message;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each transport forced alone ({@code transports: [name]}) in Chromium, against a relay on another origin. */
@Timeout(60)
class TransportsTest {

  @RegisterExtension static final BrowserHarness browser = new BrowserHarness();

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "sse", "longpoll", "jsonp"})
  void eachTransportAloneDeliversAHundredMessagesInOrder(String transport) {
    Tab tab = browser.open("receiver.html?transports=" + transport);
    String address = tab.address();
    tab.awaitOpen();
    assertEquals(transport, tab.transport());

    for (int i = 1; i <= 100; i++) {
      browser.push(address, Integer.toString(i));
    }
    browser.push(address, "end"); // once it is in, any repeat of the hundred would have shown

    List<Message> got = tab.awaitMessages(101);
    List<String> expected = IntStream.rangeClosed(1, 100).mapToObj(Integer::toString).collect(Collectors.toList());
    expected.add("end");
    assertEquals(expected, tab.data(), "each once, in order, nothing before the end marker but the hundred");
    assertEquals(LongStream.rangeClosed(1, 101).boxed().collect(Collectors.toList()),
        got.stream().map(Message::seq).collect(Collectors.toList()), "seq of a fresh channel counts from 1");
    assertEquals(List.of(transport), got.stream().map(Message::transport).distinct().collect(Collectors.toList()),
        "every message came over the forced transport");
    assertEquals("open", tab.state());
  }
}
