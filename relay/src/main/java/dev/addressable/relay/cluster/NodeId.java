package dev.addressable.relay.cluster;

import dev.addressable.relay.text.Base64Url;

/**
 * This node's identity in Redis for one run: its readable name ({@code --node-id}) and a random
 * suffix drawn at every start, so a restarted node never inherits the leases, waiters or hints
 * of its former self. Names its pub/sub channel and its connections.
 *
 * @param value e.g. {@code web3-41207-x3Kq9w}: only {@code A-Z a-z 0-9 . _ -}
 */
public record NodeId(String value) {

  public NodeId {
    if (value == null || !value.matches("[A-Za-z0-9._-]{1,80}")) {
      throw new IllegalArgumentException("a node id is 1 to 80 of A-Z a-z 0-9 . _ -: " + value);
    }
  }

  /** A new id for a node named {@code name}, unique to this start. */
  public static NodeId fresh(String name) {
    return new NodeId(name + "-" + Base64Url.unique(6));
  }

  /** The pub/sub channel this node listens on for hints: {@code <prefix>n:<id>}. */
  public String channel(String prefix) {
    return prefix + "n:" + value;
  }

  /** The name of one of its connections, as {@code CLIENT LIST} shows it: {@code relay-<id>-cmd}. */
  public String clientName(RedisConnections.Role role) {
    return "relay-" + value + "-" + role.suffix();
  }

  @Override
  public String toString() {
    return value;
  }
}
