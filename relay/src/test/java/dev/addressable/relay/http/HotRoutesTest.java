package dev.addressable.relay.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Jetty core routes in front of Javalin: which requests they take, and that they answer alike. */
@Timeout(30)
class HotRoutesTest {

  @RegisterExtension
  static final RelayExtension relay = new RelayExtension();

  @Test
  void takesOnlyAddressPathsOfOneOrTwoSegments() {
    assertArrayEquals(new String[] {"m", "client", null}, HotRoutes.addressParts("/m/client"));
    assertArrayEquals(new String[] {"m", "client", null}, HotRoutes.addressParts("/m/client/"));
    assertArrayEquals(new String[] {"m", "client", "tab"}, HotRoutes.addressParts("/m/client/tab"));
    assertArrayEquals(new String[] {"m", "client", "tab"}, HotRoutes.addressParts("/m/client/tab/"));
    assertArrayEquals(new String[] {"t", "topic", null}, HotRoutes.addressParts("/t/topic"));
    assertNull(HotRoutes.addressParts("/t/topic/more"), "topics have no channels");
    assertNull(HotRoutes.addressParts("/m/client/tab/status"), "the status alias is a Javalin route");
    assertNull(HotRoutes.addressParts("/m/"));
    assertNull(HotRoutes.addressParts("/m//tab"));
    assertNull(HotRoutes.addressParts("/m/client//"));
    assertNull(HotRoutes.addressParts("/status/m/client"));
    assertNull(HotRoutes.addressParts("/x/client"));
    assertNull(HotRoutes.addressParts("/poll"));
  }

  @Test
  void trailingSlashesWorkAsOnTheJavalinRoutes() {
    Connection c = relay.http().connect();
    assertEquals(202, relay.http().sendGet(c.url() + "/", "slash").status());
    Answer polled = relay.http().get("/poll/?client=" + c.client() + "&channel=" + c.channel() + "&key=" + c.key()
        + "&cursor=" + c.cursor() + "&timeout=0");
    assertEquals(200, polled.status(), polled.body());
    assertEquals("slash", polled.json().get("messages").get(0).get("data").asText());
  }

  @Test
  void anErrorLooksTheSameFromTheCoreRouteAndFromJavalin() {
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
  void otherMethodsOnHotPathsStillReachJavalin() {
    Connection c = relay.http().connect();
    assertEquals(202, relay.http().post(c.url(), "text/plain", "posted").status());
    assertEquals(204, relay.http().request("HEAD", c.url(), null, null).status());
    assertEquals(405, relay.http().post("/poll", "text/plain", "").status());
  }
}
