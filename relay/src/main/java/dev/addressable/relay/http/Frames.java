package dev.addressable.relay.http;

import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.inbox.ReadResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON objects the streaming transports write: a message, a missed marker, a heartbeat. One
 * place, so SSE and WebSocket say the same thing.
 */
final class Frames {

  private Frames() {}

  /** {@code {"seq","data","ts"}}, plus {@code "cursor"} when given (WebSocket frames carry it). */
  static Map<String, Object> message(Message m, Cursor cursorAfter) {
    Map<String, Object> out = new LinkedHashMap<>(6);
    out.put("seq", m.seq());
    out.put("data", m.data());
    out.put("ts", m.ts());
    if (cursorAfter != null) {
      out.put("cursor", cursorAfter.toString());
    }
    return out;
  }

  /** {@code {"missed":true,"cursor":…}}: messages before {@code resumeAt}'s next were lost. */
  static Map<String, Object> missed(Cursor resumeAt) {
    Map<String, Object> out = new LinkedHashMap<>(2);
    out.put("missed", true);
    out.put("cursor", resumeAt.toString());
    return out;
  }

  /** The cursor just before the batch's first message: where a missed marker leaves the reader. */
  static Cursor before(ReadResult batch) {
    if (batch.messages().isEmpty()) {
      return batch.cursor();
    }
    return new Cursor(batch.cursor().epoch(), batch.messages().get(0).seq() - 1);
  }

  /** The cursor after message {@code i} of the batch; the last one takes the batch's own cursor. */
  static Cursor after(ReadResult batch, int i) {
    if (i == batch.messages().size() - 1) {
      return batch.cursor();
    }
    return new Cursor(batch.cursor().epoch(), batch.messages().get(i).seq());
  }
}
