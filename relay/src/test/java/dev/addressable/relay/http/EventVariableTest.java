package dev.addressable.relay.http;

import static dev.addressable.relay.http.ConnectTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.TestRelay;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventVariableTest {

  private TestRelay relay;
  private RelayClient http;

  @BeforeAll
  void start() {
    relay = TestRelay.start();
    http = relay.client();
  }

  @AfterAll
  void stop() {
    relay.close();
  }

  private static String name() {
    return "ev-" + UUID.randomUUID().toString().replace("-", "");
  }

  @Test
  void waitIsAnsweredWhenSet() throws Exception {
    String name = name();
    CompletableFuture<Answer> waiting = http.send(HttpRequest.newBuilder(URI.create(relay.base() + "/ev/" + name)).build());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (http.get("/health").json().get("parked").asInt() < 1) {
      assertTrue(System.nanoTime() < deadline);
      Thread.sleep(10);
    }
    assertFalse(waiting.isDone());
    Answer set = http.post("/ev/" + name, null, null);
    assertEquals(200, set.status());
    assertEquals(1, set.json().get("woken").asInt());
    Answer answer = waiting.get(5, TimeUnit.SECONDS);
    assertEquals("{\"name\":\"" + name + "\",\"set\":true}", answer.body());
  }

  @Test
  void alreadySetAnswersAtOnceAndTimeoutSaysFalse() {
    String name = name();
    assertEquals("{\"name\":\"" + name + "\",\"set\":false}", http.get("/ev/" + name + "?timeout=0").body());
    http.post("/ev/" + name, null, null);
    assertEquals("{\"name\":\"" + name + "\",\"set\":true}", http.get("/ev/" + name).body());
    assertEquals(0, http.post("/ev/" + name, null, null).json().get("woken").asInt());
  }

  @Test
  void scriptTagFormsCallTheCallbackWithTheName() {
    String name = name();
    assertEquals("/**/ring(\"" + name + "\",false);", http.get("/ev/" + name + "?timeout=0&callback=ring").body());
    assertEquals("/**/doorbell(\"" + name + "\",false);", http.get("/ev/" + name + "?timeout=0&jsonp").body());
    http.post("/ev/" + name, null, null);
    Answer set = http.get("/ev/" + name + "?callback=ring");
    assertEquals("/**/ring(\"" + name + "\");", set.body());
    assertTrue(set.header("Content-Type").startsWith("application/javascript"));
  }

  @Test
  void shortOrOddNamesAre400() {
    assertError(http.get("/ev/short"), 400, "bad_name");
    assertError(http.post("/ev/" + "bad.name.with.dots.1234", null, null), 400, "bad_name");
    assertError(http.get("/ev/" + name() + "?timeout=x"), 400, "bad_timeout");
  }
}
