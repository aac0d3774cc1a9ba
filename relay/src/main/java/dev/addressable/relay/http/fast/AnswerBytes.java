package dev.addressable.relay.http.fast;

import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.Jsonp;
import dev.addressable.relay.text.Ascii;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpStatus;

/**
 * An {@link Answer} as the bytes of an HTTP/1.1 response, head and body in one buffer, for the
 * relay's own connection ({@link HotConnection}); Jetty's path sets the same headers through its
 * own API ({@code jetty.CoreRoutes}). A poll's body writes itself into the buffer, so a poll's answer is
 * encoded once and allocates nothing here when it fits the buffer given.
 */
public final class AnswerBytes {

  private static final byte[] COMMON_HEADERS = headers();
  private static final byte[] NO_STORE_LINE = line("Cache-Control", Answer.NO_STORE);
  private static final byte[] JSON_TYPE_LINE = line("Content-Type", Answer.JSON_TYPE);
  private static final byte[] SCRIPT_TYPE_LINE = line("Content-Type", Jsonp.CONTENT_TYPE);
  private static final byte[] CONTENT_LENGTH = Ascii.bytes("Content-Length: ");
  private static final byte[] CLOSE_LINE = line("Connection", "close");
  private static final byte[] EMPTY = new byte[0];
  /** {@code HTTP/1.1 200 OK} and so on, by status. */
  private static final byte[][] STATUS_LINES = statusLines();

  private static volatile DateLine lastDate;

  private AnswerBytes() {}

  /** {@code Date: …} for Jetty's current date field, encoded once a second (the field changes once a second). */
  static byte[] dateLine(String now) {
    DateLine last = lastDate;
    if (last == null || !last.value().equals(now)) {
      last = new DateLine(now, line("Date", now));
      lastDate = last;
    }
    return last.line();
  }

  private record DateLine(String value, byte[] line) {}

  /**
   * The whole answer in {@code out} if it fits, else in a buffer of its own, ready to write.
   *
   * @param dateLine the {@code Date:} line, CRLF included
   * @param close whether to add {@code Connection: close}
   */
  static ByteBuffer encode(Answer answer, byte[] dateLine, boolean close, ByteBuffer out) {
    Answer.Utf8 body = answer.utf8();
    int length = body.length();
    byte[] status = STATUS_LINES[answer.status()];
    byte[] type = switch (answer.contentType()) {
      case Answer.JSON_TYPE -> JSON_TYPE_LINE;
      case Jsonp.CONTENT_TYPE -> SCRIPT_TYPE_LINE;
      default -> line("Content-Type", answer.contentType());
    };
    byte[] cache = Answer.NO_STORE.equals(answer.cacheControl()) ? NO_STORE_LINE : line("Cache-Control", answer.cacheControl());
    byte[] retryAfter = answer.retryAfter() == null ? EMPTY : line("Retry-After", answer.retryAfter());
    byte[] more = answer.headers().length == 0 ? EMPTY : lines(answer.headers());
    byte[] connection = close ? CLOSE_LINE : EMPTY;
    int size = status.length + dateLine.length + type.length + CONTENT_LENGTH.length + Ascii.digits(length) + 2
        + cache.length + retryAfter.length + more.length + connection.length + COMMON_HEADERS.length + 2 + length;
    ByteBuffer into = size <= out.capacity() ? out.clear() : ByteBuffer.allocate(size);
    byte[] all = into.array();
    int at = Ascii.put(all, 0, status);
    at = Ascii.put(all, at, dateLine);
    at = Ascii.put(all, at, type);
    at = Ascii.put(all, at, CONTENT_LENGTH);
    at = Ascii.putNumber(all, at, length);
    all[at++] = '\r';
    all[at++] = '\n';
    at = Ascii.put(all, at, cache);
    at = Ascii.put(all, at, retryAfter);
    at = Ascii.put(all, at, more);
    at = Ascii.put(all, at, connection);
    at = Ascii.put(all, at, COMMON_HEADERS);
    all[at++] = '\r';
    all[at++] = '\n';
    body.writeTo(all, at);
    return into.limit(size);
  }

  /** {@code name: value} and CRLF, as ISO-8859-1. */
  static byte[] line(String name, String value) {
    return (name + ": " + value + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] lines(String[] nameValues) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < nameValues.length; i += 2) {
      out.append(nameValues[i]).append(": ").append(nameValues[i + 1]).append("\r\n");
    }
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] headers() {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> header : Answer.COMMON_HEADERS) {
      out.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
    }
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[][] statusLines() {
    byte[][] lines = new byte[600][];
    for (int status = 100; status < lines.length; status++) {
      lines[status] = ("HTTP/1.1 " + status + " " + HttpStatus.getMessage(status) + "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1);
    }
    return lines;
  }
}
