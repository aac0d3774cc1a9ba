package dev.addressable.relay.secret;

import dev.addressable.relay.config.AdminConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The check behind {@code --admin-token}: whether a request's {@code Authorization} header admits
 * it to the operational pages. Keeps only the token's SHA-256 and compares digests with
 * {@link MessageDigest#isEqual} (constant time, and the same length whatever was presented), so
 * neither timing nor length tells a guesser how close a try was. Open when no token is set.
 * Immutable and thread-safe; never logs or prints the token.
 */
public final class AdminToken {

  private static final String BEARER = "Bearer ";

  private final byte[] digest;

  private AdminToken(byte[] digest) {
    this.digest = digest;
  }

  public static AdminToken of(AdminConfig config) {
    return new AdminToken(config.locked() ? sha256(config.token()) : null);
  }

  /** Whether a token is asked for at all. */
  public boolean required() {
    return digest != null;
  }

  /**
   * Whether a request with this {@code Authorization} header value (or {@code null} for none)
   * may read the pages: always when open, else only {@code Bearer <token>} (the scheme in any case).
   */
  public boolean admits(String authorization) {
    if (digest == null) {
      return true;
    }
    if (authorization == null || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(withoutBlanks(authorization.substring(BEARER.length()))));
  }

  /** The credentials without the spaces and tabs HTTP allows around them (nothing else is cut). */
  private static String withoutBlanks(String credentials) {
    int start = 0;
    int end = credentials.length();
    while (start < end && (credentials.charAt(start) == ' ' || credentials.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (credentials.charAt(end - 1) == ' ' || credentials.charAt(end - 1) == '\t')) {
      end--;
    }
    return credentials.substring(start, end);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return required() ? "AdminToken[required]" : "AdminToken[open]";
  }
}
