package dev.addressable.relay.config;

import java.util.List;
import java.util.Locale;

/**
 * The Redis URL of {@code --redis}: {@code redis://}, {@code rediss://} (TLS) or
 * {@code redis-sentinel://host:port[,host:port…][/db]#master}. Its shape is checked here, so a
 * typo stops the relay at start; the cluster package hands {@link #text} to Lettuce. It may hold
 * a password, so {@link #toString} and every message about it show it {@link #masked}: log it,
 * never {@link #text}.
 *
 * @param text the URL as given; only for the Redis client
 */
public record RedisUrl(String text) {

  private static final List<String> SCHEMES = List.of("redis", "rediss", "redis-sentinel");
  private static final String MASK = "***";

  public RedisUrl {
    check(text);
  }

  /** The URL with its password (and any {@code password=} parameter) replaced by {@code ***}. */
  public String masked() {
    return mask(text);
  }

  /** Whether it names Sentinels rather than the primary itself. */
  public boolean sentinel() {
    return text.regionMatches(true, 0, "redis-sentinel://", 0, "redis-sentinel://".length());
  }

  /** {@code text} with this URL's password, wherever it occurs, replaced by {@code ***}. */
  public String scrub(String message) {
    String password = password();
    String out = message == null ? "" : message.replace(text, masked());
    return password.isEmpty() ? out : out.replace(password, MASK);
  }

  @Override
  public String toString() {
    return masked();
  }

  private String password() {
    int at = userInfoEnd(text);
    if (at < 0) {
      return "";
    }
    String userInfo = text.substring(text.indexOf("://") + 3, at);
    int colon = userInfo.indexOf(':');
    return colon < 0 ? userInfo : userInfo.substring(colon + 1);
  }

  /** {@code url} masked; for a text that is no URL at all, a placeholder, since it may be a bare password. */
  static String mask(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return "(not shown: no scheme://)";
    }
    String out = url;
    int at = userInfoEnd(url);
    if (at >= 0) {
      String userInfo = url.substring(scheme + 3, at);
      int colon = userInfo.indexOf(':');
      String shown = colon > 0 ? userInfo.substring(0, colon) + ":" + MASK : MASK;
      out = url.substring(0, scheme + 3) + shown + url.substring(at);
    }
    return out.replaceAll("(?i)(password=)[^&#]*", "$1" + MASK);
  }

  /** Where the user info ends (its {@code @}), or -1: the last {@code @}, since a host never holds one. */
  private static int userInfoEnd(String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    return scheme >= 0 && at > scheme + 2 ? at : -1;
  }

  private static void check(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("the Redis URL is empty");
    }
    int scheme = url.indexOf("://");
    String name = scheme < 0 ? "" : url.substring(0, scheme).toLowerCase(Locale.ROOT);
    if (!SCHEMES.contains(name)) {
      throw bad(url, "it must start with redis://, rediss:// or redis-sentinel://");
    }
    int from = userInfoEnd(url) >= 0 ? userInfoEnd(url) + 1 : scheme + 3;
    int end = from;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    String hosts = url.substring(from, end);
    if (hosts.isEmpty()) {
      throw bad(url, "it names no host");
    }
    List<String> each = List.of(hosts.split(",", -1));
    if (each.size() > 1 && !name.equals("redis-sentinel")) {
      throw bad(url, "only redis-sentinel:// takes several hosts");
    }
    each.forEach(host -> checkHost(url, host));
    String rest = url.substring(end);
    String path = rest.replaceFirst("[?#].*$", "");
    if (!path.isEmpty() && !path.matches("/\\d{0,2}")) {
      throw bad(url, "its path must be empty or a database number (/0 to /99)");
    }
    if (name.equals("redis-sentinel") && !rest.matches("(?s).*(#.+|[?&]sentinelMasterId=[^&#]+.*)")) {
      throw bad(url, "a redis-sentinel:// URL must name the primary's master id, e.g. #mymaster");
    }
  }

  private static void checkHost(String url, String host) {
    String port = null;
    String name = host;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        throw bad(url, "an IPv6 host lacks its ]");
      }
      name = host.substring(1, close);
      port = host.length() > close + 1 && host.charAt(close + 1) == ':' ? host.substring(close + 2) : null;
    } else if (host.contains(":")) {
      name = host.substring(0, host.indexOf(':'));
      port = host.substring(host.indexOf(':') + 1);
    }
    if (name.isEmpty()) {
      throw bad(url, "a host is empty");
    }
    if (port != null && (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
      throw bad(url, "a port must be a number from 1 to 65535");
    }
  }

  private static IllegalArgumentException bad(String url, String why) {
    return new IllegalArgumentException("not a Redis URL (" + why + "): " + mask(url));
  }
}
