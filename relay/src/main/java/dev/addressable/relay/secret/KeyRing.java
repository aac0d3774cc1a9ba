package dev.addressable.relay.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives each client's receive key from its id under the relay secret, so nothing is stored to
 * check a key and a key survives a restart as long as the secret does. The key is
 * {@code base64url(HMAC-SHA256(secret, "receive-key:" + clientId))}; without the secret it cannot
 * be derived from the client id. Thread-safe.
 */
public final class KeyRing {

  private static final String ALGORITHM = "HmacSHA256";
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final SecretKeySpec secret;
  /** Mac.getInstance goes through a synchronized provider lookup; one Mac per thread avoids it. */
  private final ThreadLocal<Mac> macs;

  public KeyRing(byte[] secret) {
    if (secret.length < 32) {
      throw new IllegalArgumentException("secret shorter than 32 bytes: " + secret.length);
    }
    this.secret = new SecretKeySpec(secret.clone(), ALGORITHM);
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  /** The key that lets its holder receive for {@code clientId}. */
  public String keyFor(String clientId) {
    return tokenFor("receive-key", clientId);
  }

  /** Whether {@code key} is the key of {@code clientId}; compared in constant time. */
  public boolean verify(String clientId, String key) {
    return verify("receive-key", clientId, key);
  }

  /** A capability for {@code purpose} on {@code value}: base64url HMAC-SHA256, 43 chars. */
  public String tokenFor(String purpose, String value) {
    return BASE64URL.encodeToString(mac(purpose + ":" + value));
  }

  /** Whether {@code token} is {@link #tokenFor}({@code purpose}, {@code value}); constant time. */
  public boolean verify(String purpose, String value, String token) {
    if (token == null) {
      return false;
    }
    byte[] expected = tokenFor(purpose, value).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.US_ASCII));
  }

  /** The first {@code length} bytes of the MAC of {@code value}, for ids that prove their origin. */
  public byte[] tag(String purpose, byte[] value, int length) {
    return java.util.Arrays.copyOf(mac(purpose + ":" + java.util.Base64.getEncoder().encodeToString(value)), length);
  }

  private byte[] mac(String input) {
    return macs.get().doFinal(input.getBytes(StandardCharsets.UTF_8));
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(secret);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
