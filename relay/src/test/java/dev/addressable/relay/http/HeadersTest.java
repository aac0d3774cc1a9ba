package dev.addressable.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class HeadersTest {

  @RegisterExtension
  static final RelayExtension relay = new RelayExtension();

  @Test
  void everyAnswerIsOpenToAnyOriginWithoutCredentialsAndSendsNoReferrer() {
    Connection c = relay.http().connect();
    for (Answer a : new Answer[] {relay.http().sendGet(c.url(), "x"), relay.http().get("/health"), relay.http().get("/nowhere"),
        relay.http().get(c.url()), relay.http().poll(c, c.cursor(), 0)}) {
      assertEquals("*", a.header("Access-Control-Allow-Origin"), a.body());
      assertNull(a.header("Access-Control-Allow-Credentials"));
      assertEquals("no-referrer", a.header("Referrer-Policy"));
      assertEquals("nosniff", a.header("X-Content-Type-Options"));
    }
  }

  @Test
  void preflightAllowsTheAuthorizationHeader() {
    Connection c = relay.http().connect();
    for (String path : new String[] {"/poll", "/connect", c.url(), c.clientUrl()}) {
      Answer a = relay.client().send(HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : relay.base() + path))
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
          .header("Origin", "https://app.example")
          .header("Access-Control-Request-Method", "GET")
          .header("Access-Control-Request-Headers", "authorization")
          .build()).join();
      assertEquals(204, a.status(), path);
      assertEquals("*", a.header("Access-Control-Allow-Origin"));
      assertTrue(a.header("Access-Control-Allow-Headers").contains("Authorization"));
      assertTrue(a.header("Access-Control-Allow-Methods").contains("POST"));
    }
  }

  @Test
  void jsonpEscapesLineSeparatorsThatBreakOldParsers() {
    Connection c = relay.http().connect();
    relay.http().sendGet(c.url(), "line\u2028sep\u2029para");
    Answer a = relay.http().get("/poll?client=" + c.client() + "&channel=" + c.channel() + "&key=" + c.key()
        + "&cursor=" + c.cursor() + "&callback=f");
    assertTrue(a.body().contains("line\\u2028sep\\u2029para"), a.body());
    assertTrue(a.body().indexOf('\u2028') < 0 && a.body().indexOf('\u2029') < 0);
    assertEquals("application/javascript; charset=utf-8", a.header("Content-Type").replace(";charset", "; charset"));
  }

  @Test
  void answersAreNeverCached() {
    Connection c = relay.http().connect();
    assertEquals("no-store", relay.http().poll(c, c.cursor(), 0).header("Cache-Control"));
  }
}
