package dev.addressable.relay.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.addressable.relay.browser.Tab.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  /**
   * Not a check: measures push-to-onmessage latency, one message at a time, and prints the medians.
   * Runs only with {@code -Daddressable.measure=true}. Java takes the time right before its GET
   * ({@link Instant#now()}, microseconds); the page takes it first thing in its onmessage handler as
   * {@code performance.timeOrigin + performance.now()} (0.1 ms steps in Chromium). Both count from
   * the same system clock on the same machine; {@code Date.now()} against
   * {@code System.currentTimeMillis()} is printed beside it as a cross-check at 1 ms resolution,
   * split at the message's {@code ts} (when the relay accepted it). Each push waits until the relay
   * holds the tab's receiver (a parked poll or an open stream, from {@code /metrics}), so long-poll
   * is measured waiting, as in use, rather than racing its own next poll.
   */
  @ParameterizedTest
  @ValueSource(strings = {"websocket", "sse", "longpoll", "jsonp"})
  void measuresPushToOnmessageLatency(String transport) {
    assumeTrue(Boolean.getBoolean("addressable.measure"), "measured on demand only: -Daddressable.measure=true");
    int warmup = 10;
    int samples = 50;
    Tab tab = browser.open("receiver.html?transports=" + transport);
    String address = tab.address();
    tab.awaitOpen();

    List<Double> precise = new ArrayList<>();
    List<Double> wall = new ArrayList<>();
    List<Double> toRelay = new ArrayList<>();
    List<Double> fromRelay = new ArrayList<>();
    for (int i = 1; i <= warmup + samples; i++) {
      awaitReceiverAtRelay();
      Instant sent = Instant.now();
      browser.push(address, "m" + i);
      Message m = tab.awaitMessages(i).get(i - 1);
      assertEquals("m" + i, m.data());
      if (i > warmup) {
        precise.add(m.preciseMs() - (sent.getEpochSecond() * 1e3 + sent.getNano() / 1e6));
        wall.add((double) (m.wallMs() - sent.toEpochMilli()));
        toRelay.add((double) (m.relayTs() - sent.toEpochMilli()));
        fromRelay.add((double) (m.wallMs() - m.relayTs()));
      }
    }
    assertEquals(transport, tab.transport());
    System.out.printf(Locale.ROOT, "LATENCY %-9s n=%d median %.2f ms (p10 %.2f, p90 %.2f); at 1 ms resolution: "
        + "Date.now median %.1f = Java to relay ts %.1f + relay ts to page %.1f%n", transport, samples,
        percentile(precise, 50), percentile(precise, 10), percentile(precise, 90),
        percentile(wall, 50), percentile(toRelay, 50), percentile(fromRelay, 50));
  }

  /** Bounded: asks /metrics until a poll is parked or a stream is open at the relay. */
  private static void awaitReceiverAtRelay() {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (gauge("addressable_parked_requests") + gauge("addressable_streams_open") < 1) {
      assertTrue(System.nanoTime() < deadline, "no receiver at the relay within 5 s");
    }
  }

  private static double gauge(String name) {
    for (String line : browser.relay().client().get("/metrics").body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError("no " + name + " in /metrics");
  }

  private static double percentile(List<Double> values, int p) {
    List<Double> sorted = values.stream().sorted().collect(Collectors.toList());
    double rank = (sorted.size() - 1) * p / 100.0;
    int low = (int) Math.floor(rank);
    int high = (int) Math.ceil(rank);
    return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (rank - low);
  }
}
