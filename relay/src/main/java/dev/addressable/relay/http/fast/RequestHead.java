package dev.addressable.relay.http.fast;

import dev.addressable.relay.http.wire.Call;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * The head of a plain HTTP/1.1 {@code GET} as a {@link HotConnection} reads it: path, query, the
 * {@code Authorization} header and whether the client asked to close.
 *
 * <p>The parser is strict on purpose. It takes only the common, simple form: {@code GET}, an
 * origin-form target of printable ASCII with a path of {@code A-Z a-z 0-9 - _ ~ /} and no empty
 * segment, {@code HTTP/1.1}, exactly one {@code Host} of a plain name or address, CRLF line ends,
 * no body (at most one {@code Content-Length: 0}) and no {@code Expect}, {@code Upgrade} or
 * {@code Transfer-Encoding}. Anything else, valid or not, yields {@code null} (or
 * {@link #NOT_SIMPLE} from {@link #end}), and the connection goes to Jetty's HTTP/1.1 parser,
 * which answers it (or refuses it) exactly as it answers every other request: the two paths
 * never disagree on what is a bad request, since only Jetty ever refuses one.
 */
public record RequestHead(String path, String query, String authorization, boolean close) implements UnaryOperator<String> {

  /** What {@link #end} answers for a head with a bare line feed or carriage return: Jetty's to judge, at once. */
  static final int NOT_SIMPLE = -2;

  private static final byte[] GET = "GET ".getBytes(StandardCharsets.US_ASCII);
  private static final String POLL = "/poll";
  private static final byte[] VERSION = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * The index just past the blank line that ends the head starting at {@code from}, -1 if
   * {@code bytes[from, to)} does not hold all of it yet, or {@link #NOT_SIMPLE} if a line ends in
   * a bare line feed or holds a bare carriage return (which Jetty answers at once, and this parser
   * would wait past).
   */
  static int end(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\r' && i + 1 < to && bytes[i + 1] != '\n') {
        return NOT_SIMPLE; // a bare CR, which Jetty refuses at once
      }
      if (bytes[i] == '\n') {
        if (i == from || bytes[i - 1] != '\r') {
          return NOT_SIMPLE;
        }
        if (i >= from + 3 && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
          return i + 1;
        }
      }
    }
    return -1;
  }

  /** The request as the router takes it: a {@code GET} without a body, whose only header read here is {@code Authorization}. */
  Call call() {
    return new Call("GET", path, path, query, this, Call.NO_BODY, null);
  }

  /** The value of a header the router asks for: only {@code Authorization} is kept. */
  @Override
  public String apply(String name) {
    return "Authorization".equalsIgnoreCase(name) ? authorization : null;
  }

  /**
   * Parses {@code bytes[from, end)}, a whole head as {@link #end} found it.
   *
   * @return the head, or {@code null} if it is not of the simple form this class takes
   */
  static RequestHead parse(byte[] bytes, int from, int end) {
    if (!startsWith(bytes, from, end, GET)) {
      return null;
    }
    int target = from + GET.length;
    int space = target;
    int question = -1;
    while (space < end && bytes[space] != ' ') {
      byte b = bytes[space];
      if (b < 0x21 || b > 0x7e || b == '#') {
        return null;
      }
      if (question < 0) {
        if (b == '?') {
          question = space;
        } else if (!isPathByte(b) || b == '/' && bytes[space - 1] == '/') {
          return null; // escapes, dot segments and empty segments are Jetty's to normalise or refuse
        }
      }
      space++;
    }
    int pathEnd = question < 0 ? space : question;
    if (pathEnd == target || bytes[target] != '/' || !startsWith(bytes, space, end, VERSION)) {
      return null;
    }
    String path = spells(bytes, target, pathEnd, POLL) ? POLL : ascii(bytes, target, pathEnd); // the commonest, shared
    String query = question < 0 ? null : ascii(bytes, question + 1, space);

    String authorization = null;
    boolean close = false;
    int hosts = 0;
    int lengths = 0;
    int line = space + VERSION.length;
    while (line < end - 2) { // the last two bytes are the blank line
      int colon = -1;
      int eol = line;
      while (bytes[eol] != '\r') {
        byte b = bytes[eol];
        if (b < 0 || b < 0x20 && b != '\t' || b == 0x7f) {
          return null; // control bytes are Jetty's to refuse, and non-ASCII values its to decode
        }
        if (colon < 0 && b == ':') {
          colon = eol;
        }
        eol++;
      }
      if (bytes[eol + 1] != '\n' || colon <= line || !isToken(bytes, line, colon)) {
        return null; // a bare CR, a line folded onto the last, or no field name
      }
      int value = colon + 1;
      int valueEnd = eol;
      while (value < valueEnd && (bytes[value] == ' ' || bytes[value] == '\t')) {
        value++;
      }
      while (valueEnd > value && (bytes[valueEnd - 1] == ' ' || bytes[valueEnd - 1] == '\t')) {
        valueEnd--;
      }
      switch (lowerName(bytes, line, colon)) {
        case "host" -> {
          if (!isHost(bytes, value, valueEnd)) {
            return null; // Jetty refuses a malformed Host with 400
          }
          hosts++;
        }
        case "authorization" -> {
          if (authorization != null) {
            return null;
          }
          authorization = ascii(bytes, value, valueEnd);
        }
        case "connection" -> {
          for (String token : ascii(bytes, value, valueEnd).split(",")) {
            String option = token.strip();
            if (option.equalsIgnoreCase("upgrade")) {
              return null;
            }
            close |= option.equalsIgnoreCase("close");
          }
        }
        case "content-length" -> {
          if (valueEnd - value != 1 || bytes[value] != '0' || lengths++ > 0) {
            return null; // a body, or a repeated length: Jetty's to judge
          }
        }
        case "transfer-encoding", "expect", "upgrade" -> {
          return null;
        }
        default -> { }
      }
      line = eol + 2;
    }
    return hosts == 1 ? new RequestHead(path, query, authorization, close) : null;
  }

  private static boolean isPathByte(byte b) {
    return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_' || b == '~'
        || b == '/';
  }

  /**
   * A {@code Host} of the plain forms: a name or IPv4 address of letters, digits, dots and hyphens,
   * or a bracketed IPv6 address, with an optional port. Anything else goes to Jetty.
   */
  private static boolean isHost(byte[] bytes, int from, int to) {
    if (from >= to) {
      return false;
    }
    int at = from;
    if (bytes[at] == '[') {
      at++;
      while (at < to && (isHex(bytes[at]) || bytes[at] == ':' || bytes[at] == '.')) {
        at++;
      }
      if (at >= to || bytes[at] != ']' || at == from + 1) {
        return false;
      }
      at++;
    } else {
      while (at < to && (isPathByte(bytes[at]) && bytes[at] != '/' && bytes[at] != '~' && bytes[at] != '_'
          || bytes[at] == '.')) {
        at++;
      }
      if (at == from) {
        return false;
      }
    }
    if (at == to) {
      return true;
    }
    if (bytes[at] != ':' || to - at - 1 < 1 || to - at - 1 > 5) {
      return false;
    }
    for (int i = at + 1; i < to; i++) {
      if (bytes[i] < '0' || bytes[i] > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(byte b) {
    return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F';
  }

  private static boolean isToken(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = bytes[i];
      if (b <= ' ' || b >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(b) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** The names of the fields this class looks at, lower case. */
  private static final String[] NAMES = {"host", "authorization", "connection", "content-length",
      "transfer-encoding", "expect", "upgrade"};

  /**
   * The field name as one of {@link #NAMES} if it is one (in any case), else the empty string.
   * Copies nothing: a head has a field or ten, and most are of no interest here.
   */
  private static String lowerName(byte[] bytes, int from, int to) {
    for (String name : NAMES) {
      if (name.length() == to - from && equalsIgnoreCase(bytes, from, name)) {
        return name;
      }
    }
    return "";
  }

  /** Whether the ASCII bytes at {@code from} spell {@code lower}, a lower-case ASCII name, in any case. */
  private static boolean equalsIgnoreCase(byte[] bytes, int from, String lower) {
    for (int i = 0; i < lower.length(); i++) {
      int b = bytes[from + i];
      if ((b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b) != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code bytes[from, to)} are exactly the ASCII {@code text}. */
  private static boolean spells(byte[] bytes, int from, int to, String text) {
    if (to - from != text.length()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (bytes[from + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(byte[] bytes, int from, int end, byte[] prefix) {
    if (end - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static String ascii(byte[] bytes, int from, int to) {
    return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
  }
}
