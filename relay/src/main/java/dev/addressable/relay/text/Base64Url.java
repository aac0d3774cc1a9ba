package dev.addressable.relay.text;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Tokens in base64url without padding (the alphabet {@code A-Z a-z 0-9 _ -}), the form of every id,
 * epoch and key the relay hands out.
 */
public final class Base64Url {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private Base64Url() {}

  public static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }

  /** {@code bytes} bytes from {@link SecureRandom}: for what must not be guessed. */
  public static String random(int bytes) {
    byte[] raw = new byte[bytes];
    RANDOM.nextBytes(raw);
    return encode(raw);
  }

  /**
   * {@code bytes} bytes, unique but not secret (an inbox's epoch), from {@link ThreadLocalRandom},
   * so making channels never waits on the shared {@link SecureRandom}'s lock.
   */
  public static String unique(int bytes) {
    byte[] raw = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(raw);
    return encode(raw);
  }

  /** Whether {@code value[from, to)} is all of {@code A-Z a-z 0-9 _ -}; by hand, as it runs per request. */
  public static boolean isValid(String value, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
