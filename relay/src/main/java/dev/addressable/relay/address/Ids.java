package dev.addressable.relay.address;

import dev.addressable.relay.text.Base64Url;

/**
 * Client ids and channel names: how they are made and what is accepted.
 *
 * <p>A client id is 128 bits from {@link java.security.SecureRandom}, base64url without padding
 * (22 chars). A channel name is 1–64 chars of {@code [A-Za-z0-9_-]}, chosen by the page or made
 * here.
 */
public final class Ids {

  private static final int CLIENT_LENGTH = 22;
  private static final int MAX_CHANNEL_LENGTH = 64;

  private Ids() {}

  /** A new client id: 16 random bytes, base64url. */
  public static String newClientId() {
    return Base64Url.random(16);
  }

  /** A new channel name for a page that did not choose one. */
  public static String newChannelName() {
    return "c" + Base64Url.random(9);
  }

  /** 22 chars of the base64url alphabet. */
  public static boolean isClientId(String value) {
    return value != null && value.length() == CLIENT_LENGTH && Base64Url.isValid(value, 0, value.length());
  }

  /** 1 to 64 chars of {@code A-Z a-z 0-9 _ -}. */
  public static boolean isChannelName(String value) {
    return value != null && !value.isEmpty() && value.length() <= MAX_CHANNEL_LENGTH
        && Base64Url.isValid(value, 0, value.length());
  }
}
