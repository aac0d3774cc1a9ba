package dev.addressable.relay.http.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.Jsonp;
import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.text.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A poll's answer, written as UTF-8 in place: valid JSON of the right fields, plain and JSONP. */
class PollBodyTest {

  private static final FeedCursor CURSOR = FeedCursor.of(new Cursor("e1", 41)).with("news", new Cursor("t9", 7));

  private static Message message(long seq, String data, String topic) {
    return new Message(seq, new Message.Body(data, 1_700_000_000_123L, Long.MAX_VALUE, topic));
  }

  /** Writes {@code utf8} between two marker bytes and returns its text, checking it kept to its length. */
  private static String written(Answer.Utf8 utf8) {
    byte[] into = new byte[utf8.length() + 4];
    into[0] = 'x';
    into[into.length - 1] = 'y';
    utf8.writeTo(into, 2);
    assertEquals('x', into[0]);
    assertEquals(0, into[1]);
    assertEquals(0, into[into.length - 2]);
    assertEquals('y', into[into.length - 1]);
    return new String(into, 2, utf8.length(), StandardCharsets.UTF_8);
  }

  private static JsonNode parse(String json) throws Exception {
    return Json.MAPPER.readTree(json);
  }

  private static void assertAnswers(Batch batch) throws Exception {
    JsonNode plain = parse(written(new PollBody(batch, false)));
    assertEquals(CURSOR.toString(), plain.get("cursor").asText());
    assertEquals(batch.messages().size(), plain.get("messages").size());
    for (int i = 0; i < batch.messages().size(); i++) {
      Message m = batch.messages().get(i);
      JsonNode got = plain.get("messages").get(i);
      assertEquals(m.seq(), got.get("seq").asLong());
      assertEquals(m.data(), got.get("data").asText());
      assertEquals(m.ts(), got.get("ts").asLong());
    }
    assertEquals(batch.missed(), plain.has("missed") && plain.get("missed").asBoolean());
    assertEquals(batch.unsubscribed().size(), plain.has("unsubscribed") ? plain.get("unsubscribed").size() : 0);
    assertEquals(false, plain.has("status"));

    String script = written(Jsonp.call("app.got", new PollBody(batch, true)));
    String prefix = "/**/app.got(";
    assertEquals(prefix, script.substring(0, prefix.length()));
    assertEquals(");", script.substring(script.length() - 2));
    JsonNode args = parse(script.substring(prefix.length(), script.length() - 2));
    assertEquals(200, args.get("status").asInt());
    assertEquals(plain, ((com.fasterxml.jackson.databind.node.ObjectNode) args).without("status"));
  }

  @Test
  void anEmptyAnswer() throws Exception {
    assertAnswers(new Batch(List.of(), CURSOR, false));
  }

  @Test
  void messagesOfEveryKindOfText() throws Exception {
    assertAnswers(new Batch(List.of(
        message(1, "plain", null),
        message(9, "quote \" backslash \\ newline \n tab \t control \u0001", null),
        message(10, "€ ünïcödé \uD83D\uDE00 line\u2028sep", null),
        message(1234567890123L, "", "news")), CURSOR, false));
  }

  @Test
  void aScriptHoldsNoRawLineSeparator() {
    String script = written(Jsonp.call("f", new PollBody(new Batch(List.of(message(1, "a\u2028b\u2029c", null)),
        CURSOR, false), true)));
    assertEquals(-1, script.indexOf('\u2028'));
    assertEquals(-1, script.indexOf('\u2029'));
  }

  @Test
  void aMissedAnswer() throws Exception {
    assertAnswers(new Batch(List.of(message(3, "after a gap", null)), CURSOR, true));
  }

  @Test
  void anAnswerNamingTopicsNoLongerFollowed() throws Exception {
    assertAnswers(new Batch(List.of(), CURSOR, false, List.of("t1", "t2")));
  }

  @Test
  void aSharedBodyGivesEachMessageItsOwnSequenceNumber() throws Exception {
    Message.Body body = new Message.Body("one for all", 5, Long.MAX_VALUE, null);
    assertAnswers(new Batch(List.of(new Message(7, body), new Message(70, body)), CURSOR, false));
  }
}
