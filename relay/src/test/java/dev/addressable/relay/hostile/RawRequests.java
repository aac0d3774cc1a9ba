package dev.addressable.relay.hostile;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Raw request bytes for {@link MalformedCorpusTest}'s corpus, built exactly as written: no client
 * library between the test and the wire to fix a framing, an encoding or a header.
 */
final class RawRequests {

  static final String CRLF = "\r\n";

  private RawRequests() {}

  static byte[] bytes(String latin1) {
    return latin1.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A request with {@code Host}, the {@code extra} header lines, and {@code Connection: close}. */
  static byte[] request(String method, String target, byte[] body, String... extra) {
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1").append(CRLF)
        .append("Host: localhost").append(CRLF);
    for (String line : extra) {
      head.append(line).append(CRLF);
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append(CRLF);
    }
    head.append("Connection: close").append(CRLF).append(CRLF);
    byte[] h = bytes(head.toString());
    byte[] all = Arrays.copyOf(h, h.length + (body == null ? 0 : body.length));
    if (body != null) {
      System.arraycopy(body, 0, all, h.length, body.length);
    }
    return all;
  }

  static byte[] get(String target, String... extra) {
    return request("GET", target, null, extra);
  }

  static byte[] post(String target, String type, String body, String... extra) {
    return postBytes(target, type, utf8(body), extra);
  }

  static byte[] postBytes(String target, String type, byte[] body, String... extra) {
    String[] headers = type == null ? extra : Stream.concat(Stream.of("Content-Type: " + type), Stream.of(extra))
        .toArray(String[]::new);
    return request("POST", target, body, headers);
  }

  /** A POST that declares {@code declared} body bytes and sends only {@code sent}. */
  static byte[] truncated(String target, String type, String sent, int declared) {
    return bytes("POST " + target + " HTTP/1.1" + CRLF + "Host: localhost" + CRLF + "Content-Type: " + type + CRLF
        + "Content-Length: " + declared + CRLF + "Connection: close" + CRLF + CRLF + sent);
  }

  /** A POST with the given raw body framing headers (no Content-Length added). */
  static byte[] framed(String target, String type, String framing, String rawBody) {
    return bytes("POST " + target + " HTTP/1.1" + CRLF + "Host: localhost" + CRLF + "Content-Type: " + type + CRLF
        + framing + "Connection: close" + CRLF + CRLF + rawBody);
  }

  static String object(String... pairs) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < pairs.length; i += 2) {
      out.append(i == 0 ? "" : ",").append('"').append(pairs[i]).append("\":\"").append(pairs[i + 1]).append('"');
    }
    return out.append('}').toString();
  }

  static String nested(String open, String close, int depth) {
    return open.repeat(depth) + close.repeat(depth);
  }
}
