package dev.addressable.relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Message;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A poll's answer written as UTF-8 is byte for byte the answer made as text. */
class PollEndpointTest {

  private static final FeedCursor CURSOR = FeedCursor.of(new Cursor("e1", 41)).with("news", new Cursor("t9", 7));

  private static Message message(long seq, String data, String topic) {
    return new Message(seq, new Message.Body(data, 1_700_000_000_123L, Long.MAX_VALUE, topic));
  }

  private static void assertSameAsText(Batch batch) {
    Answer.Utf8 utf8 = new PollEndpoint.Utf8Body(batch);
    byte[] written = new byte[utf8.length() + 4];
    written[0] = 'x'; // bytes before and after its place stay as they are
    written[written.length - 1] = 'y';
    utf8.writeTo(written, 2);
    String expected = PollEndpoint.body(batch, false);
    assertEquals(expected, new String(written, 2, utf8.length(), StandardCharsets.UTF_8));
    assertEquals(expected.getBytes(StandardCharsets.UTF_8).length, utf8.length());
    assertEquals('x', written[0]);
    assertEquals(0, written[1]);
    assertEquals(0, written[written.length - 2]);
    assertEquals('y', written[written.length - 1]);
  }

  @Test
  void anEmptyAnswer() {
    assertSameAsText(new Batch(List.of(), CURSOR, false));
  }

  @Test
  void messagesOfEveryKindOfText() {
    assertSameAsText(new Batch(List.of(
        message(1, "plain", null),
        message(9, "quote \" backslash \\ newline \n tab \t control \u0001", null),
        message(10, "€ ünïcödé \uD83D\uDE00 line\u2028sep", null),
        message(1234567890123L, "", "news")), CURSOR, false));
  }

  @Test
  void aMissedAnswer() {
    assertSameAsText(new Batch(List.of(message(3, "after a gap", null)), CURSOR, true));
  }

  @Test
  void aSharedBodyGivesEachMessageItsOwnSequenceNumber() {
    Message.Body body = new Message.Body("one for all", 5, Long.MAX_VALUE, null);
    assertSameAsText(new Batch(List.of(new Message(7, body), new Message(70, body)), CURSOR, false));
  }
}
