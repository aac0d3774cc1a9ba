package dev.addressable.relay.address;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Client ids and channel names: how they are made and what is accepted.
 *
 * <p>A client id is 128 bits from {@link SecureRandom}, base64url without padding (22 chars). A
 * channel name is 1–64 chars of {@code [A-Za-z0-9_-]}, chosen by the page or made here.
 */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final int CLIENT_LENGTH = 22;
  private static final int MAX_CHANNEL_LENGTH = 64;

  private Ids() {}

  /** A new client id: 16 random bytes, base64url. */
  public static String newClientId() {
    return randomToken(16);
  }

  /** A new channel name for a page that did not choose one. */
  public static String newChannelName() {
    return "c" + randomToken(9);
  }

  /**
   * {@code bytes} bytes, unique but not secret (an inbox's epoch), as base64url: from
   * {@link java.util.concurrent.ThreadLocalRandom}, so making channels never waits on the shared
   * {@link SecureRandom}'s lock.
   */
  public static String uniqueToken(int bytes) {
    byte[] raw = new byte[bytes];
    java.util.concurrent.ThreadLocalRandom.current().nextBytes(raw);
    return BASE64URL.encodeToString(raw);
  }

  /** {@code bytes} random bytes as base64url without padding. */
  public static String randomToken(int bytes) {
    byte[] raw = new byte[bytes];
    RANDOM.nextBytes(raw);
    return BASE64URL.encodeToString(raw);
  }

  /** 22 chars of the base64url alphabet (checked on every request, so by hand, not by regex). */
  public static boolean isClientId(String value) {
    return value != null && value.length() == CLIENT_LENGTH && isBase64Url(value);
  }

  /** 1 to 64 chars of {@code A-Z a-z 0-9 _ -}. */
  public static boolean isChannelName(String value) {
    return value != null && !value.isEmpty() && value.length() <= MAX_CHANNEL_LENGTH && isBase64Url(value);
  }

  private static boolean isBase64Url(String value) {
    return isBase64Url(value, 0, value.length());
  }

  /** Whether {@code value[from, to)} is all of {@code A-Z a-z 0-9 _ -}. */
  public static boolean isBase64Url(String value, int from, int to) {
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
