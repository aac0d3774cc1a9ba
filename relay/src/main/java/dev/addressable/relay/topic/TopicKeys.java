package dev.addressable.relay.topic;

import dev.addressable.relay.secret.KeyRing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The three capabilities each topic has, all derived under the relay secret so nothing is stored
 * to check them, and they hold on every relay that shares the secret and after a restart:
 *
 * <ul>
 *   <li>the <b>publish token</b>, in the publish URL {@code /t/<token>}: 16 random bytes and an
 *       8-byte tag, so the relay tells its own tokens from guesses. Only the creator gets it.
 *   <li>the <b>id</b>, which subscribers see in every message ({@code "topic"}) and in their
 *       cursor: derived one way from the token (16 bytes of a MAC of it, and a tag of its own), so
 *       it names the topic without being able to publish to it.
 *   <li>the <b>subscribe key</b>, derived from the id: whoever holds it may subscribe a channel.
 * </ul>
 *
 * <p>A publish with a genuine token or a subscribe with a genuine id brings the topic back in the
 * store (with an empty log) if the store forgot it. Thread-safe; holds no state but the secret.
 */
public final class TopicKeys {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();
  private static final int TOKEN_LENGTH = 32;

  private final SecureRandom random = new SecureRandom();
  private final KeyRing keys;

  public TopicKeys(KeyRing keys) {
    this.keys = keys;
  }

  /** A new topic's capabilities. */
  public record Created(String id, String publishToken, String subscribeKey) {}

  /** The capabilities of a new topic; making it known to the store is the caller's next step. */
  public Created create() {
    byte[] raw = new byte[16];
    random.nextBytes(raw);
    String token = tagged(raw, "topic-id"); // the tag's name predates the split: old publish URLs stay valid
    String id = idOf(token);
    return new Created(id, token, subscribeKey(id));
  }

  /** Whether {@code token} is a publish token this relay (or one sharing its secret) made. */
  public boolean isPublishToken(String token) {
    return isTagged(token, "topic-id");
  }

  /** Whether {@code id} is a topic id this relay (or one sharing its secret) made. */
  public boolean isId(String id) {
    return isTagged(id, "topic-public-id");
  }

  /** The id subscribers see of the topic whose publish token is {@code token} (a genuine one). */
  public String idOf(String token) {
    byte[] mac = keys.tag("topic-public", token.getBytes(StandardCharsets.US_ASCII), 16);
    return tagged(mac, "topic-public-id");
  }

  /** The capability that lets a channel subscribe to the topic {@code id}. */
  public String subscribeKey(String id) {
    return keys.tokenFor("subscribe", id);
  }

  public boolean verifySubscribeKey(String id, String key) {
    return keys.verify("subscribe", id, key);
  }

  /** 16 bytes and an 8-byte tag of them under {@code purpose}, as 32 chars of base64url. */
  private String tagged(byte[] raw, String purpose) {
    byte[] out = Arrays.copyOf(raw, 24);
    System.arraycopy(keys.tag(purpose, raw, 8), 0, out, 16, 8);
    return B64.encodeToString(out);
  }

  private boolean isTagged(String value, String purpose) {
    if (value == null || value.length() != TOKEN_LENGTH) {
      return false;
    }
    byte[] bytes;
    try {
      bytes = B64_DECODER.decode(value);
    } catch (IllegalArgumentException e) {
      return false;
    }
    byte[] raw = Arrays.copyOf(bytes, 16);
    return MessageDigest.isEqual(keys.tag(purpose, raw, 8), Arrays.copyOfRange(bytes, 16, 24));
  }
}
