package dev.addressable.relay.cluster;

import dev.addressable.relay.secret.KeyRing;

/**
 * What the nodes sharing one Redis record of their relay secret (field {@code k} of the
 * incarnation): an HMAC of a fixed text under the secret, cut to 16 characters. Equal secrets
 * give equal fingerprints, so a node started with another secret (whose clients' keys the others
 * would refuse) is stopped at start; the secret itself cannot be recovered from it, nor a client's
 * key derived.
 *
 * @param value 16 characters of base64url
 */
public record Fingerprint(String value) {

  private static final int LENGTH = 16;

  public static Fingerprint of(KeyRing keys) {
    return new Fingerprint(keys.tokenFor("redis-fingerprint", "relay-secret").substring(0, LENGTH));
  }
}
