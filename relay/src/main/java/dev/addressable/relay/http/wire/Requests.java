package dev.addressable.relay.http.wire;

import dev.addressable.relay.address.Ids;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.secret.KeyRing;
import java.time.Duration;
import java.util.regex.Pattern;

/** Checks shared by the endpoints: names, keys, cursors, timeouts, and the public base URL. */
public final class Requests {

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?");

  private Requests() {}

  /**
   * The checks every request passes before its route: the length of its URL, and well-formed
   * percent escapes (servlet parsing would silently drop a field with a stray '%').
   *
   * @param rawPath the path as sent, still percent-encoded
   * @param query the query string without {@code ?}, or {@code null}
   */
  public static void checkUrl(String rawPath, String query, int maxUrlLength) {
    int length = rawPath.length() + (query == null ? 0 : query.length() + 1);
    if (length > maxUrlLength) {
      throw new ApiException(414, "uri_too_long", "the URL is " + length + " chars; at most "
          + maxUrlLength + " are allowed: send large messages with POST");
    }
    if (query != null && !isWellEncoded(query)) {
      throw ApiException.badRequest("bad_request",
          "the query string has a '%' not followed by two hex digits: percent-encode it as %25");
    }
  }

  /** Whether every '%' starts a two-hex-digit escape. */
  static boolean isWellEncoded(String query) {
    for (int i = query.indexOf('%'); i >= 0; i = query.indexOf('%', i + 1)) {
      if (i + 2 >= query.length() || Character.digit(query.charAt(i + 1), 16) < 0
          || Character.digit(query.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  public static String client(String value) {
    if (value == null || value.isEmpty()) {
      throw ApiException.badRequest("bad_client", "client is required: the id /connect handed out");
    }
    if (!Ids.isClientId(value)) {
      throw ApiException.badRequest("bad_client", "client must be the 22-char id /connect handed out");
    }
    return value;
  }

  public static String channel(String value) {
    if (value == null || value.isEmpty()) {
      throw ApiException.badRequest("bad_channel", "channel is required: 1-64 chars of A-Z a-z 0-9 _ -");
    }
    if (!Ids.isChannelName(value)) {
      throw ApiException.badRequest("bad_channel", "channel must be 1-64 chars of A-Z a-z 0-9 _ -");
    }
    return value;
  }

  /** The key from {@code Authorization: Bearer} or, where headers cannot be set, {@code key=}. */
  public static String key(Call call, Fields fields) {
    return key(call.header("Authorization"), fields.get("key"));
  }

  /** The bearer token of an {@code Authorization} header, else {@code fallback}. */
  public static String key(String authorization, String fallback) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return fallback;
  }

  /**
   * Checks that the request holds the key of {@code client}.
   *
   * @throws ApiException 401 {@code missing_key} or 403 {@code wrong_key}
   */
  public static void authorize(KeyRing keys, String client, String key) {
    if (key == null || key.isEmpty()) {
      throw new ApiException(401, "missing_key",
          "receiving needs the client's key: Authorization: Bearer <key>, or key= where headers cannot be set");
    }
    if (!keys.verify(client, key)) {
      throw new ApiException(403, "wrong_key", "the key does not belong to this client");
    }
  }

  /** The cursor, or {@code null} when none was given. */
  public static FeedCursor cursor(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return FeedCursor.parse(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_cursor", "cursor must be the opaque string the relay last handed out");
    }
  }

  /** A whole number of seconds from 0 to 3600, cut to {@code max}; {@code dflt} when absent. */
  public static Duration timeout(String value, Duration dflt, Duration max) {
    if (value == null || value.isEmpty()) {
      return dflt.compareTo(max) > 0 ? max : dflt;
    }
    long seconds = wholeNumber(value);
    if (seconds < 0 || seconds > 3600) {
      throw ApiException.badRequest("bad_timeout",
          "timeout must be a whole number of seconds from 0 to " + max.toSeconds() + ": " + abbreviate(value));
    }
    return seconds > max.toSeconds() ? max : Duration.ofSeconds(seconds);
  }

  /** The base of the addresses handed out: the configured public URL, else the request's. */
  public static String baseUrl(Call call, String publicUrl) {
    return publicUrl.isEmpty() ? call.base() : publicUrl;
  }

  /**
   * {@code scheme://host}: the request's {@code Host} if it is a plain host name or address with an
   * optional port, else the address the connection reached (never a value an attacker shaped).
   */
  public static String base(String scheme, String host, String localName, int localPort) {
    if (host == null || !HOST.matcher(host).matches()) {
      host = localName + ":" + localPort;
    }
    return scheme + "://" + host;
  }

  /**
   * A whole number of at most 18 ASCII digits, or -1 for anything else (a sign, a space, digits
   * of other scripts, which {@link Long#parseLong} would take).
   */
  public static long wholeNumber(String value) {
    if (value == null || value.isEmpty() || value.length() > 18) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /** A bad value, cut short, for an error message; never used for secrets. */
  public static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "…";
  }
}
