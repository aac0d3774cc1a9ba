package dev.addressable.relay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the relay's settings from command-line flags and environment variables (flags win) into
 * a {@link RelayConfig}. Unknown flags and malformed values are rejected with a message that names
 * the option and the bad value.
 */
public final class Options {

  public static final Option PORT = new Option("port", "8080", "TCP port to listen on (0 picks a free one)");
  public static final Option HOST = new Option("host", "0.0.0.0", "address to bind");
  public static final Option REUSE_PORT = new Option("reuse-port", "false",
      "bind with SO_REUSEPORT, so that several relay processes share one --port (true or false; the bare flag is true)");
  public static final Option DATA_DIR = new Option("data-dir", "./data", "where the relay secret is kept");
  public static final Option PUBLIC_URL = new Option("public-url", "", "base URL of addresses (default: scheme and Host of each request)");
  public static final Option INBOX_MESSAGES = new Option("inbox-messages", "1000", "messages kept per inbox");
  public static final Option INBOX_BYTES = new Option("inbox-bytes", "1048576", "bytes kept per inbox");
  public static final Option INBOX_AGE = new Option("inbox-age", "120", "seconds a message is kept");
  public static final Option IDLE_EXPIRY = new Option("idle-expiry", "600", "seconds without a poll before a channel is dropped");
  public static final Option POLL_TIMEOUT = new Option("poll-timeout", "25", "default long-poll timeout, seconds");
  public static final Option POLL_TIMEOUT_MAX = new Option("poll-timeout-max", "60", "largest long-poll timeout a receiver may ask for, seconds");
  public static final Option HEARTBEAT = new Option("heartbeat", "15", "seconds between heartbeats on SSE and WebSocket streams");
  public static final Option MAX_MESSAGE_BYTES = new Option("max-message-bytes", "65536", "largest message, bytes (UTF-8)");
  public static final Option MAX_URL_LENGTH = new Option("max-url-length", "16384", "longest request URL (path and query), characters");
  public static final Option MAX_POLLS_PER_CHANNEL = new Option("max-polls-per-channel", "16", "parked polls one channel may hold at once");
  public static final Option MAX_PARKED = new Option("max-parked", "100000", "parked requests the relay holds at once");
  public static final Option MAX_POLLS_PER_CLIENT = new Option("max-polls-per-client", "4",
      "parked polls and SSE streams one client may hold (not WebSockets); more: a poll answered at once with an interval, a stream 429; 0 = no cap");
  public static final Option MAX_CHANNELS = new Option("max-channels", "200000", "live channels the relay holds at once");
  public static final Option MAX_CHANNELS_PER_CLIENT = new Option("max-channels-per-client", "256", "live channels (tabs) one client may have");
  public static final Option EVENT_EXPIRY = new Option("event-expiry", "3600", "seconds an unused event variable is kept");
  public static final Option MAX_EVENT_VARIABLES = new Option("max-event-variables", "100000", "event variables the relay holds at once");
  public static final Option TOPIC_EXPIRY = new Option("topic-expiry", "86400", "seconds a topic nobody follows is kept after its last use");
  public static final Option MAX_TOPICS = new Option("max-topics", "100000", "topics the relay holds at once");
  public static final Option MAX_TOPICS_PER_CHANNEL = new Option("max-topics-per-channel", "64", "topics one channel may follow");
  public static final Option ONLINE_GRACE = new Option("online-grace", "15", "seconds a receiver between two polls still counts as online");
  public static final Option WEBHOOK = new Option("webhook", "", "URL the relay POSTs channel.online, channel.offline and message.expired events to");
  public static final Option WEBHOOK_SECRET = new Option("webhook-secret", "", "secret for the X-Addressable-Signature HMAC of each webhook body");
  public static final Option WEBHOOK_RETRIES = new Option("webhook-retries", "4", "attempts after the first before a webhook event is given up");
  public static final Option WEBHOOK_QUEUE = new Option("webhook-queue", "10000", "webhook events queued at most; more are dropped and counted");
  public static final Option THREADS = new Option("threads", "64", "largest size of the HTTP worker pool");
  public static final Option SELECTORS = new Option("selectors", "0",
      "selector threads, which also serve polls and GET sends; 0 = one per core");
  public static final Option MAX_MEMORY = new Option("max-memory", "auto",
      "heap the relay may hold for messages, channels, topics and requests (e.g. 512m, 2g); past it sends get 503 memory_full; auto = half the heap beyond 64 MiB");
  public static final Option HEADER_TIMEOUT = new Option("header-timeout", "15", "seconds a request head may take to arrive → 408");
  public static final Option BODY_TIMEOUT = new Option("body-timeout", "30", "seconds a request body may take to arrive → 408");
  public static final Option MAX_CONNECTIONS = new Option("max-connections", "auto",
      "open connections this process holds at once (more wait to be accepted); auto = the open-file limit less a hundredth");
  public static final Option ADMIN_TOKEN = new Option("admin-token", "",
      "bearer token /metrics and /dashboard then require (16+ of A-Z a-z 0-9 - . _ ~ + / =); none = open to all");
  public static final Option REDIS = new Option("redis", "",
      "redis://, rediss:// or redis-sentinel:// URL of the Redis that relays share; enables cluster mode (prefer the environment variable: a password in a flag shows in ps)");
  public static final Option REDIS_PREFIX = new Option("redis-prefix", "ar:", "put before every Redis key and channel name");
  public static final Option REDIS_TIMEOUT = new Option("redis-timeout", "1",
      "seconds a Redis command may take; past it a send's outcome is unknown (503)");
  public static final Option REDIS_DURABILITY = new Option("redis-durability", "auto",
      "whether a Redis restart keeps what it acknowledged: auto (ask Redis for appendonly and appendfsync), always, none");
  public static final Option NODE_ID = new Option("node-id", "auto",
      "readable name of this relay in Redis; a random suffix is added at every start; auto = host name and process id");
  public static final Option LEASE = new Option("lease", "30", "seconds a stream's or topic's lease lasts in Redis without renewal");
  public static final Option MID_WINDOW = new Option("mid-window", "60", "seconds a sender's message id (mid) is remembered against duplicates");

  public static final List<Option> ALL = List.of(
      PORT, HOST, REUSE_PORT, DATA_DIR, PUBLIC_URL, INBOX_MESSAGES, INBOX_BYTES, INBOX_AGE, IDLE_EXPIRY,
      POLL_TIMEOUT, POLL_TIMEOUT_MAX, HEARTBEAT, MAX_MESSAGE_BYTES, MAX_URL_LENGTH, MAX_POLLS_PER_CHANNEL,
      MAX_PARKED, MAX_POLLS_PER_CLIENT, MAX_CHANNELS, MAX_CHANNELS_PER_CLIENT, EVENT_EXPIRY, MAX_EVENT_VARIABLES, TOPIC_EXPIRY,
      MAX_TOPICS, MAX_TOPICS_PER_CHANNEL, ONLINE_GRACE, WEBHOOK, WEBHOOK_SECRET, WEBHOOK_RETRIES, WEBHOOK_QUEUE, THREADS,
      SELECTORS, MAX_MEMORY, HEADER_TIMEOUT, BODY_TIMEOUT, MAX_CONNECTIONS, ADMIN_TOKEN, REDIS, REDIS_PREFIX, REDIS_TIMEOUT,
      REDIS_DURABILITY, NODE_ID, LEASE, MID_WINDOW);

  /** Options that take true or false, and mean true when given bare ({@code --reuse-port}). */
  private static final Set<Option> SWITCHES = Set.of(REUSE_PORT);

  private final Map<String, String> values = new HashMap<>();

  private Options() {}

  /** Reads {@code env} first, then {@code args} on top. */
  public static RelayConfig parse(String[] args, Map<String, String> env) {
    Options options = new Options();
    for (Option option : ALL) {
      String fromEnv = env.get(option.env());
      if (fromEnv != null) {
        options.values.put(option.name(), fromEnv);
      }
    }
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      Option option = byFlag(arg);
      if (value == null && SWITCHES.contains(option) && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
        value = "true";
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + " needs a value");
        }
        value = args[++i];
      }
      options.values.put(option.name(), value);
    }
    return options.build();
  }

  private static Option byFlag(String flag) {
    for (Option option : ALL) {
      if (option.flag().equals(flag)) {
        return option;
      }
    }
    throw new IllegalArgumentException("unknown option: " + flag + " (see --help)");
  }

  private RelayConfig build() {
    if (number(INBOX_BYTES, 0, Long.MAX_VALUE) < number(MAX_MESSAGE_BYTES, 0, Long.MAX_VALUE)) {
      throw new IllegalArgumentException(INBOX_BYTES.flag() + " (" + text(INBOX_BYTES)
          + ") must be at least " + MAX_MESSAGE_BYTES.flag() + " (" + text(MAX_MESSAGE_BYTES) + ")");
    }
    return new RelayConfig(
        new ServerConfig(
            (int) number(PORT, 0, 65535),
            text(HOST),
            Path.of(text(DATA_DIR)),
            text(PUBLIC_URL).replaceAll("/+$", ""),
            (int) number(MAX_URL_LENGTH, 256, 1 << 20),
            (int) number(THREADS, 8, 10_000),
            (int) number(SELECTORS, 0, 256),
            bool(REUSE_PORT)),
        new InboxConfig(
            (int) number(INBOX_MESSAGES, 1, 1_000_000),
            number(INBOX_BYTES, 1024, 1L << 32),
            seconds(INBOX_AGE, 1, 7 * 24 * 3600),
            seconds(IDLE_EXPIRY, 1, 7 * 24 * 3600),
            (int) number(MAX_MESSAGE_BYTES, 1, 16 << 20),
            (int) number(MAX_CHANNELS, 1, 10_000_000),
            (int) number(MAX_CHANNELS_PER_CLIENT, 1, 1_000_000)),
        new PollConfig(
            seconds(POLL_TIMEOUT, 0, 3600),
            seconds(POLL_TIMEOUT_MAX, 1, 3600),
            (int) number(MAX_POLLS_PER_CHANNEL, 1, 1_000_000),
            (int) number(MAX_PARKED, 1, 10_000_000),
            seconds(HEARTBEAT, 1, 3600),
            (int) number(MAX_POLLS_PER_CLIENT, 0, 1_000_000)),
        new EventConfig(
            seconds(EVENT_EXPIRY, 1, 30 * 24 * 3600),
            (int) number(MAX_EVENT_VARIABLES, 1, 10_000_000)),
        new TopicConfig(
            seconds(TOPIC_EXPIRY, 1, 365L * 24 * 3600),
            (int) number(MAX_TOPICS, 1, 10_000_000),
            (int) number(MAX_TOPICS_PER_CHANNEL, 1, 256)),
        new PresenceConfig(
            seconds(ONLINE_GRACE, 1, 3600),
            webhookUrl(),
            text(WEBHOOK_SECRET),
            (int) number(WEBHOOK_RETRIES, 0, 20),
            (int) number(WEBHOOK_QUEUE, 1, 10_000_000)),
        new LimitsConfig(
            bytes(MAX_MEMORY, LimitsConfig.MIN_BUDGET, 1L << 50),
            seconds(HEADER_TIMEOUT, 1, 3600),
            seconds(BODY_TIMEOUT, 1, 3600),
            (int) orAuto(MAX_CONNECTIONS, 16, 10_000_000),
            seconds(MID_WINDOW, 1, 7 * 24 * 3600)),
        new AdminConfig(adminToken()),
        cluster());
  }

  /**
   * Cluster mode's settings, present only with {@code --redis}; the other cluster flags are
   * checked even without it, so a typo never waits for the day cluster mode is turned on.
   */
  private Optional<ClusterConfig> cluster() {
    String prefix = text(REDIS_PREFIX);
    if (prefix.length() > 64 || !prefix.matches("[!-~&&[^{}]]*")) {
      throw new IllegalArgumentException(REDIS_PREFIX.flag()
          + " must be up to 64 printable ASCII characters without spaces or braces (braces make hash tags): " + prefix);
    }
    Duration timeout = seconds(REDIS_TIMEOUT, 1, 60);
    ClusterConfig.Durability durability = durability();
    String node = text(NODE_ID);
    if (!node.equals(NODE_ID.defaultValue()) && !node.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(NODE_ID.flag() + " must be 1 to 64 of A-Z a-z 0-9 . _ -: " + node);
    }
    Duration lease = seconds(LEASE, 3, 3600);
    Duration midWindow = seconds(MID_WINDOW, 1, 7 * 24 * 3600);
    String url = text(REDIS);
    if (url.isEmpty()) {
      return Optional.empty();
    }
    RedisUrl redis;
    try {
      redis = new RedisUrl(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(REDIS.flag() + " is " + e.getMessage());
    }
    String name = node.equals(NODE_ID.defaultValue()) ? NodeNames.hostAndPid() : node;
    return Optional.of(new ClusterConfig(redis, prefix, timeout, durability, name, lease, midWindow));
  }

  private ClusterConfig.Durability durability() {
    String raw = text(REDIS_DURABILITY).toLowerCase(java.util.Locale.ROOT);
    return switch (raw) {
      case "auto" -> ClusterConfig.Durability.AUTO;
      case "always" -> ClusterConfig.Durability.ALWAYS;
      case "none" -> ClusterConfig.Durability.NONE;
      default -> throw new IllegalArgumentException(
          REDIS_DURABILITY.flag() + " must be auto, always or none: " + text(REDIS_DURABILITY));
    };
  }

  /**
   * The admin token: empty, or 16 to 512 characters of RFC 6750's token alphabet. A bad one is
   * refused by its length and the rule, never echoed: it may be most of a real secret.
   */
  private String adminToken() {
    String token = text(ADMIN_TOKEN);
    if (!token.isEmpty() && (token.length() < 16 || token.length() > 512
        || !token.matches("[A-Za-z0-9._~+/-]+=*"))) {
      throw new IllegalArgumentException(ADMIN_TOKEN.flag() + " must be 16 to 512 characters of A-Z a-z 0-9 - . _ ~ + /"
          + " (then any = for padding); the one given has " + token.length() + " characters and is not shown");
    }
    return token;
  }

  /** A size in bytes, with an optional k, m or g suffix (powers of 1024); {@code auto} is 0. */
  private long bytes(Option option, long min, long max) {
    String raw = text(option).toLowerCase(java.util.Locale.ROOT);
    if (raw.equals("auto") || raw.equals("0")) {
      return 0;
    }
    int shift = raw.endsWith("k") ? 10 : raw.endsWith("m") ? 20 : raw.endsWith("g") ? 30 : 0;
    String digits = shift == 0 ? raw : raw.substring(0, raw.length() - 1);
    long value;
    try {
      value = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option.flag() + " must be a size like 512m or 2g, or auto: " + text(option));
    }
    if (value < 0 || value > max >> shift || value << shift < min) {
      throw new IllegalArgumentException(option.flag() + " must be between " + (min >> 20) + "m and " + (max >> 30)
          + "g, or auto: " + text(option));
    }
    return value << shift;
  }

  /** A whole number in [min, max], or {@code auto} (0). */
  private long orAuto(Option option, long min, long max) {
    return text(option).equalsIgnoreCase("auto") || text(option).equals("0") ? 0 : number(option, min, max);
  }

  private java.net.URI webhookUrl() {
    String url = text(WEBHOOK);
    if (url.isEmpty()) {
      return null;
    }
    try {
      java.net.URI uri = new java.net.URI(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new java.net.URISyntaxException(url, "not http(s) with a host");
      }
      if (text(WEBHOOK_SECRET).isEmpty()) {
        throw new IllegalArgumentException(WEBHOOK.flag() + " needs " + WEBHOOK_SECRET.flag() + " to sign its events");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(WEBHOOK.flag() + " must be an http(s) URL: " + url);
    }
  }

  private String text(Option option) {
    return values.getOrDefault(option.name(), option.defaultValue()).trim();
  }

  private long number(Option option, long min, long max) {
    String raw = text(option);
    long value;
    try {
      value = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option.flag() + " must be a whole number: " + raw);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          option.flag() + " must be between " + min + " and " + max + ": " + value);
    }
    return value;
  }

  private boolean bool(Option option) {
    String raw = text(option);
    if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(raw);
    }
    throw new IllegalArgumentException(option.flag() + " must be true or false: " + raw);
  }

  private Duration seconds(Option option, long min, long max) {
    return Duration.ofSeconds(number(option, min, max));
  }

  /** The text {@code --help} prints: every option with its default and environment variable. */
  public static String help() {
    StringBuilder out = new StringBuilder("Usage: java -jar relay.jar [options]\n\nOptions (flag, environment variable, default):\n");
    for (Option option : ALL) {
      out.append(String.format("  %-28s %s%n      %s (default: %s)%n",
          option.flag() + " VALUE", option.help(), option.env(),
          option.defaultValue().isEmpty() ? "none" : option.defaultValue()));
    }
    out.append("  --help                       print this and exit\n");
    return out.toString();
  }
}
