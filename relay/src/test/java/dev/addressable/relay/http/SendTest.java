package dev.addressable.relay.http;

import static dev.addressable.relay.http.ConnectTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class SendTest {

  @RegisterExtension
  static final RelayExtension relay = new RelayExtension();

  private List<String> received(Connection c) {
    List<String> out = new ArrayList<>();
    relay.http().poll(c, c.cursor(), 0).json().get("messages").forEach(m -> out.add(m.get("data").asText()));
    return out;
  }

  @Test
  void getPostTextPostJsonAndPostFormAllDeliverTheMessageAsAString() {
    Connection c = relay.http().connect();
    assertEquals(202, relay.http().sendGet(c.url(), "über & more").status());
    assertEquals(202, relay.http().post(c.url(), "text/plain; charset=utf-8", "plain body").status());
    assertEquals(202, relay.http().post(c.url(), "application/json", "{\"price\": 42}").status());
    assertEquals(202, relay.http().post(c.url(), "application/x-www-form-urlencoded", "message=from+a+form&x=1").status());
    assertEquals(List.of("über & more", "plain body", "{\"price\": 42}", "from a form"), received(c));
  }

  @Test
  void aJsonBodyIsTheMessageWhateverJsonValueItHolds() {
    Connection c = relay.http().connect();
    for (String json : new String[] {"\"a string\"", "42", "true", "null", "[1,2]", "{\"ttl\":\"not a field\"}"}) {
      assertEquals(202, relay.http().post(c.url(), "application/json", json).status(), json);
    }
    assertEquals(List.of("\"a string\"", "42", "true", "null", "[1,2]", "{\"ttl\":\"not a field\"}"), received(c));
    assertEquals(400, relay.http().post(c.url(), "application/json", "\"a\" \"b\"").status(), "two values are not JSON");
  }

  @Test
  void aChannelNamedStatusStillTakesSendsWhileItsClientsStatusIsReadWithoutAMessage() {
    Connection first = relay.http().connect();
    Connection status = relay.http().connect(first, "status");
    assertEquals(202, relay.http().sendGet(status.url(), "to the tab named status").status());
    assertEquals(List.of("to the tab named status"), received(status));
    assertTrue(relay.http().get(status.url()).json().get("online").asBoolean(), "read without a message: the client's status");
  }

  @Test
  void clientWideAddressReachesEveryChannel() throws Exception {
    Connection tab1 = relay.http().connect();
    Connection tab2 = relay.http().connect(tab1, "second");
    CompletableFuture<Answer> parked = relay.http().pollAsync(tab1, tab1.cursor(), 20);
    awaitWaiters(tab1);
    Answer sent = relay.http().sendGet(tab1.clientUrl(), "to all tabs");
    assertEquals(202, sent.status());
    JsonNode body = sent.json();
    assertEquals(1, body.get("delivered").asInt());
    assertEquals(2, body.get("channels").size());
    Map<String, Integer> delivered = new java.util.HashMap<>();
    body.get("channels").forEach(ch -> delivered.put(ch.get("channel").asText(), ch.get("delivered").asInt()));
    assertEquals(Map.of(tab1.channel(), 1, tab2.channel(), 0), delivered);
    assertEquals("to all tabs", parked.get(5, TimeUnit.SECONDS).json().get("messages").get(0).get("data").asText());
    assertEquals(List.of("to all tabs"), received(tab2));

    Answer script = relay.http().get(tab1.clientUrl() + "?message=again&callback=cb");
    assertTrue(script.body().startsWith("/**/cb({\"delivered\":0,\"channels\":[{\"channel\":\""), script.body());
    assertTrue(script.body().endsWith(",\"status\":202});"), script.body());
  }

  @Test
  void getOrHeadWithoutMessageNeverSends() {
    Connection c = relay.http().connect();
    assertError(relay.http().get(c.url()), 400, "missing_message");
    assertEquals(204, relay.http().request("HEAD", c.url(), null, null).status());
    assertEquals(204, relay.http().request("HEAD", c.url() + "?message=sneaky", null, null).status());
    assertEquals(List.of(), received(c));
  }

  @Test
  void unknownAddressIs404() {
    Connection c = relay.http().connect();
    assertError(relay.http().sendGet(c.url() + "x", "hi"), 404, "unknown_address");
    assertError(relay.http().sendGet(relay.base() + "/m/AAAAAAAAAAAAAAAAAAAAAA", "hi"), 404, "unknown_address");
    assertEquals(404, relay.http().request("HEAD", c.url() + "x", null, null).status());
  }

  @Test
  void tooLargeMessageIs413AndNothingIsStored() {
    Connection c = relay.http().connect();
    Answer a = relay.http().post(c.url(), "text/plain", "x".repeat(65_537));
    assertError(a, 413, "message_too_large");
    assertTrue(a.json().get("message").asText().contains("65536"));
    assertEquals(202, relay.http().post(c.url(), "text/plain", "é".repeat(32_768)).status(), "64 KiB of UTF-8 fits");
    assertError(relay.http().post(c.url(), "text/plain", "é".repeat(32_769)), 413, "message_too_large");
    assertEquals(1, received(c).size());
  }

  @Test
  void aRetryWithTheSameMidIsStoredOnceAndAnsweredWithTheFirstSeq() {
    Connection c = relay.http().connect();
    Answer first = relay.http().get(c.url() + "?message=once&mid=order-17_a");
    Answer retry = relay.http().get(c.url() + "?message=once&mid=order-17_a");
    Answer other = relay.http().post(c.url() + "?mid=order-18", "text/plain", "twice");
    assertEquals(202, retry.status());
    assertEquals(first.json().get("seq"), retry.json().get("seq"));
    assertTrue(retry.json().get("dup").asBoolean(), retry.body());
    assertEquals(0, retry.json().get("delivered").asInt());
    assertTrue(first.json().get("dup") == null, "a first send says nothing of dup: " + first.body());
    assertEquals(first.json().get("seq").asLong() + 1, other.json().get("seq").asLong());
    assertEquals(List.of("once", "twice"), received(c));
  }

  @Test
  void aMidIsPerAddressAndHoldsForClientWideSendsAndTopics() {
    Connection c = relay.http().connect();
    Connection d = relay.http().connect();
    assertEquals(202, relay.http().get(c.url() + "?message=to+c&mid=same").status());
    assertTrue(relay.http().get(d.url() + "?message=to+d&mid=same").json().get("dup") == null, "another address");
    JsonNode wide = relay.http().get(c.clientUrl() + "?message=everyone&mid=wide-1").json();
    JsonNode wideAgain = relay.http().get(c.clientUrl() + "?message=everyone&mid=wide-1").json();
    assertTrue(wideAgain.get("dup").asBoolean());
    assertEquals(wide.get("channels").get(0).get("seq"), wideAgain.get("channels").get(0).get("seq"));
    assertEquals(List.of("to c", "everyone"), received(c));
    assertEquals(List.of("to d"), received(d));

    JsonNode topic = relay.http().post("/topics", "application/json", "{}").json();
    String publish = topic.get("url").asText();
    JsonNode published = relay.http().get(publish + "?message=news&mid=n1").json();
    JsonNode again = relay.http().get(publish + "?message=news&mid=n1").json();
    assertEquals(published.get("seq"), again.get("seq"));
    assertTrue(again.get("dup").asBoolean(), again.toString());
  }

  @Test
  void ttlMustBeWithinTheInboxAge() {
    Connection c = relay.http().connect();
    assertEquals(202, relay.http().get(c.url() + "?message=brief&ttl=5").status());
    assertError(relay.http().get(c.url() + "?message=x&ttl=0"), 400, "bad_ttl");
    assertError(relay.http().get(c.url() + "?message=x&ttl=121"), 400, "bad_ttl");
    assertError(relay.http().get(c.url() + "?message=x&ttl=soon"), 400, "bad_ttl");
    assertEquals(List.of("brief"), received(c));
  }

  @Test
  void otherBodiesAreRefusedClearly() {
    Connection c = relay.http().connect();
    assertError(relay.http().post(c.url(), "application/xml", "<m/>"), 415, "unsupported_media_type");
    assertError(relay.http().post(c.url(), "application/json", "{broken"), 400, "bad_json");
    assertError(relay.http().post(c.url(), "text/plain", ""), 400, "missing_message");
    assertError(relay.http().post(c.url(), "application/x-www-form-urlencoded", "other=1"), 400, "missing_message");
    assertEquals(List.of(), received(c));
  }

  @Test
  void jsonpSendCarriesSeqAndStatus() {
    Connection c = relay.http().connect();
    Answer a = relay.http().get(c.url() + "?message=hi&callback=sent");
    assertEquals(200, a.status());
    assertEquals("/**/sent({\"seq\":1,\"delivered\":0,\"status\":202});", a.body());
  }

  private void awaitWaiters(Connection c) {
    Await.until("the poll parked", Duration.ofSeconds(5),
        () -> relay.relay().receivers().waiterCount(new ChannelId(c.client(), c.channel())) >= 1);
  }
}
