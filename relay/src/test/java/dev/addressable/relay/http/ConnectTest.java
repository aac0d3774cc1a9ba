package dev.addressable.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class ConnectTest {

  @RegisterExtension
  static final RelayExtension relay = new RelayExtension();

  @Test
  void newClientGetsIdKeyChannelAndAddresses() {
    Connection c = relay.http().connect();
    assertTrue(c.client().matches("[A-Za-z0-9_-]{22}"), c.client());
    assertTrue(c.key().length() >= 43);
    assertEquals(relay.base() + "/m/" + c.client() + "/" + c.channel(), c.url());
    assertEquals(relay.base() + "/m/" + c.client(), c.clientUrl());
    assertTrue(c.cursor().endsWith(".0"), c.cursor());
  }

  @Test
  void chosenChannelIsKept() {
    Connection c = relay.http().connect("{\"channel\":\"tab-1\"}");
    assertEquals("tab-1", c.channel());
  }

  @Test
  void keyAddsAChannelToTheSameClient() {
    Connection first = relay.http().connect();
    Connection second = relay.http().connect(first, "second_tab");
    assertEquals(first.client(), second.client());
    assertEquals(first.key(), second.key());
    assertNotEquals(first.url(), second.url());
  }

  @Test
  void formBodyWorksToo() {
    Connection first = relay.http().connect();
    Answer a = relay.http().post("/connect", "application/x-www-form-urlencoded",
        "client=" + first.client() + "&key=" + first.key() + "&channel=formtab");
    assertEquals(200, a.status(), a.body());
    assertEquals("formtab", a.json().get("channel").asText());
  }

  @Test
  void wrongKeyIs403AndMissingKeyIs401() {
    Connection c = relay.http().connect();
    Answer wrong = relay.http().post("/connect", "application/json",
        "{\"client\":\"" + c.client() + "\",\"key\":\"not-the-key\"}");
    assertError(wrong, 403, "wrong_key");
    assertError(relay.http().post("/connect", "application/json", "{\"client\":\"" + c.client() + "\"}"), 401, "missing_key");
  }

  @Test
  void badNamesAre400() {
    assertError(relay.http().post("/connect", "application/json", "{\"channel\":\"has space\"}"), 400, "bad_channel");
    assertError(relay.http().post("/connect", "application/json", "{\"client\":\"short\",\"key\":\"k\"}"), 400, "bad_client");
    assertError(relay.http().post("/connect", "application/json", "{\"channel\":{\"a\":1}}"), 400, "bad_json");
    assertError(relay.http().post("/connect", "application/json", "[1,2]"), 400, "bad_json");
  }

  @Test
  void jsonpConnectForScriptTags() {
    Answer a = relay.http().get("/connect?callback=App.connected&channel=jsonptab");
    assertEquals(200, a.status());
    assertTrue(a.header("Content-Type").startsWith("application/javascript"), a.header("Content-Type"));
    assertTrue(a.body().startsWith("/**/App.connected({\"client\":\""), a.body());
    assertTrue(a.body().contains("\"channel\":\"jsonptab\"") && a.body().endsWith("\"status\":200});"), a.body());
  }

  @Test
  void plainGetConnectIsRefusedSoLinkPreviewersCreateNothing() {
    Answer plainGet = relay.http().get("/connect");
    assertError(plainGet, 405, "method_not_allowed");
    assertEquals("POST", plainGet.header("Allow"), "a 405 names what works");
  }

  static void assertError(Answer answer, int status, String code) {
    assertEquals(status, answer.status(), answer.body());
    JsonNode json = answer.json();
    assertEquals(code, json.get("error").asText(), answer.body());
    assertTrue(json.get("message").asText().length() > 5, answer.body());
    assertTrue(answer.header("Content-Type").startsWith("application/json"), answer.header("Content-Type"));
  }
}
