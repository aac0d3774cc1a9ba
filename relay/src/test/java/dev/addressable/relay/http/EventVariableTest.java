package dev.addressable.relay.http;

import static dev.addressable.relay.http.ConnectTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class EventVariableTest {

  @RegisterExtension
  static final RelayExtension relay = new RelayExtension();

  private static String name() {
    return "ev-" + UUID.randomUUID().toString().replace("-", "");
  }

  @Test
  void waitIsAnsweredWhenSet() throws Exception {
    String name = name();
    CompletableFuture<Answer> waiting = relay.http().send(HttpRequest.newBuilder(URI.create(relay.base() + "/ev/" + name)).build());
    Await.until("the wait parked", Duration.ofSeconds(5), () -> relay.http().get("/health").json().get("parked").asInt() >= 1);
    assertFalse(waiting.isDone());
    Answer set = relay.http().post("/ev/" + name, null, null);
    assertEquals(200, set.status());
    assertEquals(1, set.json().get("woken").asInt());
    Answer answer = waiting.get(5, TimeUnit.SECONDS);
    assertEquals("{\"name\":\"" + name + "\",\"set\":true}", answer.body());
  }

  @Test
  void alreadySetAnswersAtOnceAndTimeoutSaysFalse() {
    String name = name();
    assertEquals("{\"name\":\"" + name + "\",\"set\":false}", relay.http().get("/ev/" + name + "?timeout=0").body());
    relay.http().post("/ev/" + name, null, null);
    assertEquals("{\"name\":\"" + name + "\",\"set\":true}", relay.http().get("/ev/" + name).body());
    assertEquals(0, relay.http().post("/ev/" + name, null, null).json().get("woken").asInt());
  }

  @Test
  void scriptTagFormsCallTheCallbackWithTheName() {
    String name = name();
    assertEquals("/**/ring(\"" + name + "\",false);", relay.http().get("/ev/" + name + "?timeout=0&callback=ring").body());
    assertEquals("/**/doorbell(\"" + name + "\",false);", relay.http().get("/ev/" + name + "?timeout=0&jsonp").body());
    relay.http().post("/ev/" + name, null, null);
    Answer set = relay.http().get("/ev/" + name + "?callback=ring");
    assertEquals("/**/ring(\"" + name + "\");", set.body());
    assertTrue(set.header("Content-Type").startsWith("application/javascript"));
  }

  @Test
  void shortOrOddNamesAre400() {
    assertError(relay.http().get("/ev/short"), 400, "bad_name");
    assertError(relay.http().post("/ev/" + "bad.name.with.dots.1234", null, null), 400, "bad_name");
    assertError(relay.http().get("/ev/" + name() + "?timeout=x"), 400, "bad_timeout");
  }
}
