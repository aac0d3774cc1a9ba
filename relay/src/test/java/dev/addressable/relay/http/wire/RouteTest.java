package dev.addressable.relay.http.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The one parser of request paths, and that both request paths answer alike. */
@Timeout(30)
class RouteTest {

  @RegisterExtension
  static final RelayExtension relay = new RelayExtension();

  @Test
  void namesTheAddressesAndTheirIds() {
    assertEquals(new Route(Route.Kind.CLIENT, "client", null), Route.of("/m/client"));
    assertEquals(new Route(Route.Kind.CLIENT, "client", null), Route.of("/m/client/"));
    assertEquals(new Route(Route.Kind.CHANNEL, "client", "tab"), Route.of("/m/client/tab"));
    assertEquals(new Route(Route.Kind.CHANNEL, "client", "tab"), Route.of("/m/client/tab/"));
    assertEquals(new Route(Route.Kind.TOPIC, "token", null), Route.of("/t/token"));
    assertEquals(new Route(Route.Kind.CHANNEL_STATUS, "client", "tab"), Route.of("/m/client/tab/status"));
    assertEquals(new Route(Route.Kind.CHANNEL_STATUS, "client", "tab"), Route.of("/status/m/client/tab"));
    assertEquals(new Route(Route.Kind.CLIENT_STATUS, "client", null), Route.of("/status/m/client"));
    assertEquals(new Route(Route.Kind.VARIABLE, "doorbell", null), Route.of("/ev/doorbell"));
    assertNull(Route.of("/t/topic/more"), "topics have no channels");
    assertNull(Route.of("/m/"));
    assertNull(Route.of("/m//tab"));
    assertNull(Route.of("/m/client//"));
    assertNull(Route.of("/x/client"));
    assertEquals(Route.Kind.WEBSOCKET, Route.of("/ws").kind());
    assertEquals(Route.Kind.POLL, Route.of("/poll").kind());
    assertEquals(Route.Kind.POLL, Route.of("/poll/").kind());
    assertEquals(Route.Kind.LEAVE, Route.of("/leave").kind());
    assertFalse(Route.of("/leave").isHot(), "a beacon's POST is Jetty's");
    assertEquals(Route.Kind.ASSET, Route.of("/addressable.js").kind());
    assertNull(Route.of("/addressable.jsx"));
  }

  @Test
  void onlyPollsAndAddressesAreServedOnTheHotConnection() {
    assertTrue(Route.of("/poll").isHot());
    assertTrue(Route.of("/m/client/tab").isHot());
    assertTrue(Route.of("/t/token").isHot());
    assertFalse(Route.of("/connect").isHot());
    assertFalse(Route.of("/events").isHot(), "streams are Jetty's");
  }

  @Test
  void anAddressInAFrameIsItsLastSegments() {
    assertEquals(new Route(Route.Kind.CHANNEL, "C", "H"), Route.ofAddress("https://relay.example/m/C/H?x=1"));
    assertEquals(new Route(Route.Kind.CHANNEL, "C", "H"), Route.ofAddress("https://relay.example/base/m/C/H/"));
    assertEquals(new Route(Route.Kind.CLIENT, "C", null), Route.ofAddress("/m/C"));
    assertEquals(new Route(Route.Kind.TOPIC, "T", null), Route.ofAddress("http://r/t/T#frag"));
    assertEquals(new Route(Route.Kind.CLIENT, "C", null), Route.ofAddress("m/C"));
    assertNull(Route.ofAddress("https://relay.example/x/C"));
    assertNull(Route.ofAddress(""));
    assertNull(Route.ofAddress(null));
  }

  @Test
  void trailingSlashesAreAllowed() {
    Connection c = relay.http().connect();
    assertEquals(202, relay.http().sendGet(c.url() + "/", "slash").status());
    Answer polled = relay.http().get("/poll/?client=" + c.client() + "&channel=" + c.channel() + "&key=" + c.key()
        + "&cursor=" + c.cursor() + "&timeout=0");
    assertEquals(200, polled.status(), polled.body());
    assertEquals("slash", polled.json().get("messages").get(0).get("data").asText());
  }

  @Test
  void anErrorLooksTheSameFromTheHotConnectionAndFromJetty() {
    String nobody = "/m/AAAAAAAAAAAAAAAAAAAAAA/tab";
    Answer core = relay.http().get(nobody + "?message=hi");
    Answer javalin = relay.http().post(nobody, "text/plain", "hi");
    assertEquals(404, core.status());
    assertEquals(core.status(), javalin.status());
    assertEquals(core.body(), javalin.body());
    for (String header : new String[] {"Content-Type", "Access-Control-Allow-Origin", "Access-Control-Expose-Headers",
        "Referrer-Policy", "X-Content-Type-Options", "Cache-Control"}) {
      assertEquals(javalin.header(header), core.header(header), header);
    }
  }

  @Test
  void otherMethodsOnHotPathsAreServedByJetty() {
    Connection c = relay.http().connect();
    assertEquals(202, relay.http().post(c.url(), "text/plain", "posted").status());
    assertEquals(204, relay.http().request("HEAD", c.url(), null, null).status());
    assertEquals(405, relay.http().post("/poll", "text/plain", "").status());
  }
}
