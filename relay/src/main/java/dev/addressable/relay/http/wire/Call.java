package dev.addressable.relay.http.wire;

import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * One request as the relay's routes see it, whichever path read it (the relay's own connection
 * or Jetty's): nothing of Jetty, and the body already read in full. Immutable.
 *
 * @param method upper case, as sent
 * @param path the path, percent-decoded (routes match on it)
 * @param rawPath the path as sent (its length counts against the URL limit)
 * @param query the query string without {@code ?}, still encoded, or {@code null}
 * @param headers a header's value by name (any case), or {@code null}
 * @param body the whole body, or an empty array
 * @param base the scheme and authority this request reached, e.g. {@code http://localhost:8080},
 *     for the addresses an answer hands out
 */
public record Call(String method, String path, String rawPath, String query, UnaryOperator<String> headers, byte[] body,
    String base) {

  public static final byte[] NO_BODY = new byte[0];

  public String header(String name) {
    return headers.apply(name);
  }

  /** The media type of the body, lower case, without parameters; empty if none was given. */
  public String mediaType() {
    String type = header("Content-Type");
    if (type == null) {
      return "";
    }
    int semi = type.indexOf(';');
    return (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  public boolean is(String method) {
    return this.method.equals(method);
  }
}
