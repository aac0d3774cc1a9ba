package dev.addressable.relay.http.wire;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * JSONP for script-tag callers. A callback name is validated, never cleaned: identifiers joined by
 * dots, at most {@value #MAX_CALLBACK_LENGTH} chars. The body starts with {@code /**}{@code /} (so a
 * hostile content sniffer never sees a leading callback name) and escapes U+2028 and U+2029, which
 * JSON allows in strings but older JavaScript engines do not.
 */
public final class Jsonp {

  static final int MAX_CALLBACK_LENGTH = 128;
  public static final String CONTENT_TYPE = "application/javascript;charset=utf-8"; // as the servlet path writes it
  private static final Pattern CALLBACK =
      Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

  private Jsonp() {}

  /**
   * The callback named by the request, or {@code null} if none.
   *
   * @throws ApiException {@code bad_callback} if it is not a plain dotted identifier
   */
  public static String callback(String raw) {
    if (raw == null) {
      return null;
    }
    if (raw.length() > MAX_CALLBACK_LENGTH || !CALLBACK.matcher(raw).matches()) {
      throw ApiException.badRequest("bad_callback",
          "callback must be a JavaScript identifier or dotted path of at most "
              + MAX_CALLBACK_LENGTH + " chars, like fn or app.onMessage");
    }
    return raw;
  }

  /** {@code /**}{@code /callback(args);} with the line separators escaped. */
  public static String call(String callback, String args) {
    return "/**/" + callback + "(" + escapeLineSeparators(args) + ");";
  }

  /**
   * {@code /**}{@code /callback(args);} written as UTF-8 around {@code args}, which must hold no
   * raw U+2028 or U+2029 (the relay's stored message JSON escapes them).
   */
  public static Answer.Utf8 call(String callback, Answer.Utf8 args) {
    byte[] head = ("/**/" + callback + "(").getBytes(StandardCharsets.US_ASCII); // checked: an identifier
    return new Answer.Utf8() {
      @Override
      public int length() {
        return head.length + args.length() + 2;
      }

      @Override
      public void writeTo(byte[] into, int at) {
        System.arraycopy(head, 0, into, at, head.length);
        args.writeTo(into, at + head.length);
        int end = at + head.length + args.length();
        into[end] = ')';
        into[end + 1] = ';';
      }
    };
  }

  static String escapeLineSeparators(String json) {
    if (json.indexOf('\u2028') < 0 && json.indexOf('\u2029') < 0) {
      return json;
    }
    return json.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
  }
}
