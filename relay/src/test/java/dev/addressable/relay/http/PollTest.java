package dev.addressable.relay.http;

import static dev.addressable.relay.http.ConnectTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class PollTest {

  @RegisterExtension
  static final RelayExtension relay = new RelayExtension(c -> c.withPoll(c.poll().withMaxPerChannel(3)));

  private static List<String> data(JsonNode answer) {
    List<String> out = new ArrayList<>();
    answer.get("messages").forEach(m -> out.add(m.get("data").asText()));
    return out;
  }

  @Test
  void parkedPollIsWokenBySendFromAnotherConnection() throws Exception {
    Connection c = relay.http().connect();
    CompletableFuture<Answer> poll = relay.http().pollAsync(c, c.cursor(), 20);
    awaitParked(1);
    assertFalse(poll.isDone());
    Answer sent = relay.client().sendGet(c.url(), "wake up");
    assertEquals(202, sent.status());
    assertEquals(1, sent.json().get("delivered").asInt());
    Answer answer = poll.get(5, TimeUnit.SECONDS);
    assertEquals(200, answer.status());
    assertEquals(List.of("wake up"), data(answer.json()));
    JsonNode message = answer.json().get("messages").get(0);
    assertEquals(1, message.get("seq").asLong());
    assertTrue(message.get("ts").asLong() > 1_700_000_000_000L);
  }

  @Test
  void messagesWaitInTheInboxAndArriveInOrder() {
    Connection c = relay.http().connect();
    for (int i = 0; i < 50; i++) {
      Answer sent = relay.http().sendGet(c.url(), "m" + i);
      assertEquals(202, sent.status());
      assertEquals(0, sent.json().get("delivered").asInt());
      assertEquals(i + 1, sent.json().get("seq").asLong());
    }
    Answer answer = relay.http().poll(c, c.cursor(), 0);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add("m" + i);
    }
    assertEquals(expected, data(answer.json()));
    assertFalse(answer.json().has("missed"));
    Answer again = relay.http().poll(c, answer.json().get("cursor").asText(), 0);
    assertEquals(List.of(), data(again.json()));
  }

  @Test
  void oldCursorReadsAgain() {
    Connection c = relay.http().connect();
    relay.http().sendGet(c.url(), "one");
    relay.http().sendGet(c.url(), "two");
    String after = relay.http().poll(c, c.cursor(), 0).json().get("cursor").asText();
    relay.http().sendGet(c.url(), "three");
    assertEquals(List.of("one", "two", "three"), data(relay.http().poll(c, c.cursor(), 0).json()));
    assertEquals(List.of("three"), data(relay.http().poll(c, after, 0).json()));
  }

  @Test
  void timeoutAnswersEmptyWithTheSameCursor() {
    Connection c = relay.http().connect();
    Answer answer = relay.http().poll(c, c.cursor(), 1);
    assertEquals(200, answer.status());
    assertEquals(List.of(), data(answer.json()));
    assertEquals(c.cursor(), answer.json().get("cursor").asText());
  }

  @Test
  void withoutACursorAPollWaitsForWhatComesNext() throws Exception {
    Connection c = relay.http().connect();
    relay.http().sendGet(c.url(), "before");
    CompletableFuture<Answer> poll = relay.http().pollAsync(c, null, 20);
    awaitParked(1);
    relay.http().sendGet(c.url(), "after");
    assertEquals(List.of("after"), data(poll.get(5, TimeUnit.SECONDS).json()));
  }

  @Test
  void keyIsRequiredAndChecked() {
    Connection c = relay.http().connect();
    String query = "/poll?client=" + c.client() + "&channel=" + c.channel() + "&timeout=0";
    assertError(relay.http().get(query), 401, "missing_key");
    assertError(relay.http().get(query + "&key=wrong"), 403, "wrong_key");
    Connection other = relay.http().connect();
    assertError(relay.http().get(query + "&key=" + other.key()), 403, "wrong_key");
    assertEquals(200, relay.http().get(query + "&key=" + c.key()).status());
    // Once a key is proven on a channel the relay skips its HMAC; other keys are still refused.
    assertError(relay.http().get(query + "&key=" + other.key()), 403, "wrong_key");
    assertError(relay.http().get(query + "&key=" + c.key().substring(1) + "A"), 403, "wrong_key");
    assertError(relay.http().get(query), 401, "missing_key");
    assertEquals(200, relay.http().get(query + "&key=" + c.key()).status());
  }

  @Test
  void badCursorAndTimeoutAre400() {
    Connection c = relay.http().connect();
    String base = "/poll?client=" + c.client() + "&channel=" + c.channel() + "&key=" + c.key();
    assertError(relay.http().get(base + "&cursor=nonsense"), 400, "bad_cursor");
    String epoch = c.cursor().substring(0, c.cursor().indexOf('.'));
    assertError(relay.http().get(base + "&cursor=" + epoch + ".99"), 400, "bad_cursor");
    assertError(relay.http().get(base + "&timeout=-1"), 400, "bad_timeout");
    assertError(relay.http().get(base + "&timeout=soon"), 400, "bad_timeout");
    assertError(relay.http().get("/poll?channel=x&key=k"), 400, "bad_client");
    assertError(relay.http().get("/poll?client=" + c.client() + "&key=k"), 400, "bad_channel");
  }

  @Test
  void tooManyParkedPollsOnOneChannelIs429WithRetryAfter() throws Exception {
    Connection c = relay.http().connect();
    List<CompletableFuture<Answer>> parked = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      parked.add(relay.http().pollAsync(c, c.cursor(), 20));
    }
    awaitWaiters(c, 3);
    Answer refused = relay.http().poll(c, c.cursor(), 20);
    assertError(refused, 429, "too_many_polls");
    assertEquals("1", refused.header("Retry-After"));
    assertEquals(3, relay.http().sendGet(c.url(), "all").json().get("delivered").asInt());
    for (CompletableFuture<Answer> p : parked) {
      assertEquals(List.of("all"), data(p.get(5, TimeUnit.SECONDS).json()));
    }
  }

  @Test
  void jsonpPollCarriesStatusForSuccessAndError() {
    Connection c = relay.http().connect();
    relay.http().sendGet(c.url(), "for the script tag");
    Answer ok = relay.http().get("/poll?client=" + c.client() + "&channel=" + c.channel() + "&key=" + c.key()
        + "&cursor=" + c.cursor() + "&callback=cb_1");
    assertEquals(200, ok.status());
    assertTrue(ok.body().startsWith("/**/cb_1({\"cursor\":"), ok.body());
    assertTrue(ok.body().contains("\"data\":\"for the script tag\"") && ok.body().endsWith("\"status\":200});"), ok.body());
    assertEquals("nosniff", ok.header("X-Content-Type-Options"));
    Answer error = relay.http().get("/poll?client=" + c.client() + "&channel=" + c.channel() + "&key=wrong&callback=cb_1");
    assertEquals(200, error.status());
    assertTrue(error.body().startsWith("/**/cb_1({\"error\":\"wrong_key\""), error.body());
    assertTrue(error.body().endsWith("\"status\":403});"), error.body());
  }

  @Test
  void badCallbackIsAPlain400ThatNeverCallsIt() {
    Connection c = relay.http().connect();
    for (String callback : new String[] {"alert(1)", "a-b", "1abc", "a..b", "x".repeat(200), "a;b", "<script>"}) {
      Answer a = relay.http().get("/poll?client=" + c.client() + "&channel=" + c.channel() + "&key=" + c.key()
          + "&timeout=0&callback=" + RelayClient.enc(callback));
      assertError(a, 400, "bad_callback");
      assertFalse(a.body().contains(callback), a.body());
    }
  }

  private void awaitParked(int atLeast) {
    Await.value(atLeast + " requests parked at the relay (parked)", Duration.ofSeconds(5),
        () -> relay.client().get("/health").json().get("parked").asInt(), n -> n >= atLeast);
  }

  private void awaitWaiters(Connection c, int count) {
    Await.value(count + " polls parked on the channel (parked)", Duration.ofSeconds(5),
        () -> relay.relay().receivers().waiterCount(new ChannelId(c.client(), c.channel())), n -> n >= count);
  }
}
