package dev.addressable.relay.http.wire;

import java.util.Set;

/**
 * Which of the relay's endpoints a path names, and the ids it carries: the one parser of request
 * paths, used by both request paths and by the WebSocket's {@code {"to"}} frames. Knows nothing
 * of methods; {@code route.Router} decides those.
 *
 * @param first the client id, topic token or variable name the path carries, or {@code null}
 * @param second the channel name, or {@code null}
 */
public record Route(Kind kind, String first, String second) {

  public enum Kind {
    CONNECT, POLL, EVENTS, WEBSOCKET, ACK, LEAVE, TOPICS, SUBSCRIBE, UNSUBSCRIBE, HEALTH, METRICS, ASSET,
    /** {@code /dashboard}: the live relay dashboard (its script and stylesheet are assets). */
    DASHBOARD,
    /** {@code /m/{client}}: every live channel of a client. */
    CLIENT,
    /** {@code /m/{client}/{channel}}. */
    CHANNEL,
    /** {@code /t/{publish token}}. */
    TOPIC,
    /** {@code /ev/{name}}. */
    VARIABLE,
    /** {@code /status/m/{client}}, or {@code /m/{client}/status} read without a message. */
    CLIENT_STATUS,
    /** {@code /status/m/{client}/{channel}} and {@code /m/{client}/{channel}/status}. */
    CHANNEL_STATUS
  }

  /**
   * The files the relay serves from its jar, by path without the slash: the browser library's and
   * the dashboard's script and stylesheet (which hold no data, so they are never locked).
   */
  public static final Set<String> ASSET_FILES = Set.of("addressable.js", "addressable.mjs", "addressable.d.ts",
      "addressable.d.mts", "dashboard.js", "dashboard.css");

  private static final Route CONNECT = new Route(Kind.CONNECT, null, null);
  private static final Route POLL = new Route(Kind.POLL, null, null);
  private static final Route EVENTS = new Route(Kind.EVENTS, null, null);
  private static final Route WEBSOCKET = new Route(Kind.WEBSOCKET, null, null);
  private static final Route ACK = new Route(Kind.ACK, null, null);
  private static final Route LEAVE = new Route(Kind.LEAVE, null, null);
  private static final Route TOPICS = new Route(Kind.TOPICS, null, null);
  private static final Route SUBSCRIBE = new Route(Kind.SUBSCRIBE, null, null);
  private static final Route UNSUBSCRIBE = new Route(Kind.UNSUBSCRIBE, null, null);
  private static final Route HEALTH = new Route(Kind.HEALTH, null, null);
  private static final Route METRICS = new Route(Kind.METRICS, null, null);
  private static final Route DASHBOARD = new Route(Kind.DASHBOARD, null, null);

  /**
   * The route of a decoded path (one trailing slash allowed), or {@code null} if it names none of
   * the relay's endpoints.
   */
  public static Route of(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/') {
      return null;
    }
    if (path.equals("/poll")) {
      return POLL; // the commonest request of all, without a copy of its path
    }
    int end = path.length() > 1 && path.endsWith("/") ? path.length() - 1 : path.length();
    if (path.startsWith("/m/") || path.startsWith("/t/") || path.startsWith("/ev/") || path.startsWith("/status/m/")) {
      return withIds(path, end);
    }
    return switch (path.substring(0, end)) {
      case "/poll" -> POLL;
      case "/connect" -> CONNECT;
      case "/events" -> EVENTS;
      case "/ws" -> WEBSOCKET;
      case "/ack" -> ACK;
      case "/leave" -> LEAVE;
      case "/topics" -> TOPICS;
      case "/subscribe" -> SUBSCRIBE;
      case "/unsubscribe" -> UNSUBSCRIBE;
      case "/health" -> HEALTH;
      case "/metrics" -> METRICS;
      case "/dashboard" -> DASHBOARD;
      default -> ASSET_FILES.contains(path.substring(1, end)) ? new Route(Kind.ASSET, path.substring(1, end), null) : null;
    };
  }

  /** The routes that carry ids, read without splitting the path (it is read on every send). */
  private static Route withIds(String path, int end) {
    if (path.startsWith("/m/")) {
      return clientOrChannel(path, 3, end, true);
    }
    if (path.startsWith("/status/m/")) {
      Route route = clientOrChannel(path, 10, end, false);
      if (route == null) {
        return null;
      }
      return route.kind == Kind.CLIENT ? new Route(Kind.CLIENT_STATUS, route.first, null)
          : new Route(Kind.CHANNEL_STATUS, route.first, route.second);
    }
    int from = path.startsWith("/t/") ? 3 : path.startsWith("/ev/") ? 4 : -1;
    if (from < 0 || from >= end || path.indexOf('/', from) >= 0 && path.indexOf('/', from) < end) {
      return null;
    }
    return new Route(from == 3 ? Kind.TOPIC : Kind.VARIABLE, path.substring(from, end), null);
  }

  /** {@code {client}} or {@code {client}/{channel}} from {@code from}, and {@code …/status} where allowed. */
  private static Route clientOrChannel(String path, int from, int end, boolean statusSuffix) {
    int slash = path.indexOf('/', from);
    if (slash < 0 || slash >= end) {
      return from < end ? new Route(Kind.CLIENT, path.substring(from, end), null) : null;
    }
    if (slash == from || slash + 1 >= end) {
      return null;
    }
    int next = path.indexOf('/', slash + 1);
    if (next < 0 || next >= end) {
      return new Route(Kind.CHANNEL, path.substring(from, slash), path.substring(slash + 1, end));
    }
    if (statusSuffix && next > slash + 1 && end - next - 1 == 6 && path.startsWith("status", next + 1)) {
      return new Route(Kind.CHANNEL_STATUS, path.substring(from, slash), path.substring(slash + 1, next));
    }
    return null;
  }

  /**
   * The route of an address given as a URL or a path ({@code …/m/{client}[/{channel}]} or
   * {@code …/t/{token}}), as a WebSocket {@code {"to"}} frame names it; {@code null} if it is none.
   */
  public static Route ofAddress(String address) {
    if (address == null) {
      return null;
    }
    int cut = address.length();
    for (char c : new char[] {'?', '#'}) {
      int at = address.indexOf(c);
      if (at >= 0 && at < cut) {
        cut = at;
      }
    }
    String path = address.substring(0, cut);
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String[] parts = path.split("/", -1); // the address is its last two or three segments
    int n = parts.length;
    if (n >= 3 && parts[n - 3].equals("m") && !parts[n - 2].isEmpty() && !parts[n - 1].isEmpty()) {
      return new Route(Kind.CHANNEL, parts[n - 2], parts[n - 1]);
    }
    if (n >= 2 && !parts[n - 1].isEmpty() && (parts[n - 2].equals("m") || parts[n - 2].equals("t"))) {
      return new Route(parts[n - 2].equals("m") ? Kind.CLIENT : Kind.TOPIC, parts[n - 1], null);
    }
    return null;
  }

  /** Whether the relay's own connection serves a {@code GET} of this route (the rest go to Jetty). */
  public boolean isHot() {
    return kind == Kind.POLL || kind == Kind.CHANNEL || kind == Kind.CLIENT || kind == Kind.TOPIC;
  }
}
