package dev.addressable.relay.config;

/**
 * Who may read the relay's operational pages ({@code /metrics}, {@code /dashboard}).
 *
 * @param token the bearer token they require, or empty for open pages (the default). Never
 *     printed: {@link #toString} leaves it out, so logging a config cannot leak it.
 */
public record AdminConfig(String token) {

  /** Open pages: no token asked. */
  public static final AdminConfig OPEN = new AdminConfig("");

  public AdminConfig {
    if (token == null) {
      throw new IllegalArgumentException("token == null (use \"\" for open pages)");
    }
  }

  /** Whether the pages ask for a token. */
  public boolean locked() {
    return !token.isEmpty();
  }

  @Override
  public String toString() {
    return locked() ? "AdminConfig[token=(set, not shown)]" : "AdminConfig[open]";
  }
}
