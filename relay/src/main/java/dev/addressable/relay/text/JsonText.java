package dev.addressable.relay.text;

/**
 * Text as the inside of a JSON string, encoded straight to UTF-8: {@code "} and {@code \} escaped,
 * control characters as short (backslash-n) or six-character unicode escapes, and U+2028 and U+2029 escaped
 * too (JSON allows them raw, but a JSONP script in an old engine breaks on them), so one encoding
 * serves every transport. The text must be valid UTF-16 (no unpaired surrogate); callers check
 * that when they count its UTF-8 length.
 */
public final class JsonText {

  private static final byte[] HEX = Ascii.bytes("0123456789abcdef");

  private JsonText() {}

  /** How many bytes {@link #write} writes for {@code text}. */
  public static int length(String text) {
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        n += c == '"' || c == '\\' ? 2 : c >= 0x20 ? 1 : shortEscape(c) != 0 ? 2 : 6;
      } else if (c < 0x800) {
        n += 2;
      } else if (c == '\u2028' || c == '\u2029') {
        n += 6;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++; // the low surrogate
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** Writes {@code text} escaped at {@code into[at]}; returns the index after it. */
  public static int write(String text, byte[] into, int at) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          into[at++] = (byte) c;
        } else {
          into[at++] = '\\';
          char escape = c == '"' || c == '\\' ? c : shortEscape(c);
          if (escape != 0) {
            into[at++] = (byte) escape;
          } else {
            at = unicodeEscape(c, into, at);
          }
        }
      } else if (c < 0x800) {
        into[at++] = (byte) (0xc0 | c >> 6);
        into[at++] = (byte) (0x80 | c & 0x3f);
      } else if (c == '\u2028' || c == '\u2029') {
        into[at++] = '\\';
        at = unicodeEscape(c, into, at);
      } else if (Character.isHighSurrogate(c)) {
        int cp = Character.toCodePoint(c, text.charAt(++i));
        into[at++] = (byte) (0xf0 | cp >> 18);
        into[at++] = (byte) (0x80 | cp >> 12 & 0x3f);
        into[at++] = (byte) (0x80 | cp >> 6 & 0x3f);
        into[at++] = (byte) (0x80 | cp & 0x3f);
      } else {
        into[at++] = (byte) (0xe0 | c >> 12);
        into[at++] = (byte) (0x80 | c >> 6 & 0x3f);
        into[at++] = (byte) (0x80 | c & 0x3f);
      }
    }
    return at;
  }

  /** {@code u} and four hex digits (the backslash is written by the caller). */
  private static int unicodeEscape(char c, byte[] into, int at) {
    into[at++] = 'u';
    into[at++] = HEX[c >> 12 & 0xf];
    into[at++] = HEX[c >> 8 & 0xf];
    into[at++] = HEX[c >> 4 & 0xf];
    into[at++] = HEX[c & 0xf];
    return at;
  }

  private static char shortEscape(char c) {
    return switch (c) {
      case '\n' -> 'n';
      case '\r' -> 'r';
      case '\t' -> 't';
      case '\b' -> 'b';
      case '\f' -> 'f';
      default -> 0;
    };
  }
}
