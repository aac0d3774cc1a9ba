package dev.addressable.relay.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressable.relay.testing.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What every answer of {@link MalformedCorpusTest}'s corpus must be: the status its row expects (a
 * 5xx only where the row allows one), readable cross-origin with {@code nosniff}, no stack trace
 * and no HTML; an error is the protocol's {@code {"error","message"}} JSON (never
 * {@code internal_error}), a JSONP error a script calling back with it.
 */
final class CarefulAnswer {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CarefulAnswer() {}

  static void check(Row row, RawHttp.Raw answer) {
    Expect expect = row.expect();
    String context = row.name() + ": " + row.summary() + " — expected " + expect + ", got " + answer.status()
        + " " + RawExchange.abbreviate(answer.text());
    if (answer.status() >= 400) {
      String text = answer.text();
      assertTrue(!text.contains("Exception") && !text.contains("\tat ") && !text.contains("at org.")
          && !text.contains("at java."), "a stack trace leaked: " + context);
      assertTrue(!text.toLowerCase(Locale.ROOT).contains("<html") && !text.toLowerCase(Locale.ROOT).contains("<!doctype"),
          "an HTML page: " + context);
    }
    if (!expect.statuses().contains(answer.status())) {
      fail(answer.status() >= 500 ? "a 5xx: " + context : context);
    }
    assertEquals("*", RawExchange.header(answer, "Access-Control-Allow-Origin"),
        "every answer is readable cross-origin: " + context);
    assertEquals("nosniff", RawExchange.header(answer, "X-Content-Type-Options"), "every answer says nosniff: " + context);
    boolean head = new String(row.request(), 0, Math.min(5, row.request().length), StandardCharsets.ISO_8859_1)
        .equals("HEAD ");
    switch (expect.kind()) {
      case ERROR -> {
        if (!head && answer.status() >= 400) {
          checkError(answer, expect, context);
        }
      }
      case SCRIPT -> {
        String type = String.valueOf(RawExchange.header(answer, "Content-Type"));
        assertTrue(type.startsWith("application/javascript"), "not a script: " + context);
        String body = answer.body();
        assertTrue(body.startsWith("/**/") && body.endsWith(");"), "not a JSONP call: " + context);
        JsonNode json = parse(body.substring(body.indexOf('(') + 1, body.length() - 2), context);
        assertTrue(expect.codes().contains(json.path("error").asText()), "wrong error code: " + context);
        assertTrue(body.contains(expect.contains()), "wrong status in the script: " + context);
      }
      case OK -> {
        if (expect.contains() != null) {
          assertTrue(answer.body().contains(expect.contains()), "unexpected body: " + context);
        }
      }
    }
  }

  /** The protocol's error form: JSON {@code {"error","message"}} and nothing else, never {@code internal_error}. */
  private static void checkError(RawHttp.Raw answer, Expect expect, String context) {
    String type = String.valueOf(RawExchange.header(answer, "Content-Type"));
    assertTrue(type.startsWith("application/json"), "an error that is not JSON: " + context);
    JsonNode json = parse(answer.body(), context);
    assertTrue(json.isObject() && json.path("error").isTextual() && json.path("message").isTextual(),
        "not {\"error\",\"message\"}: " + context);
    Set<String> fields = new TreeSet<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertEquals(Set.of("error", "message"), fields, "fields other than error and message: " + context);
    String code = json.get("error").asText();
    assertTrue(!code.equals("internal_error"), "labelled internal_error: " + context);
    assertTrue(expect.codes().isEmpty() || expect.codes().contains(code), "wrong error code: " + context);
    assertTrue(json.get("message").asText().length() > 10, "no sentence in the message: " + context);
  }

  private static JsonNode parse(String text, String context) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + context, e);
    }
  }
}
