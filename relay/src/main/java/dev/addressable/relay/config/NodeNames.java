package dev.addressable.relay.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The default name of a node in cluster mode: its short host name and process id, e.g. {@code web3-41207}. */
final class NodeNames {

  private NodeNames() {}

  static String hostAndPid() {
    return shortHost() + "-" + ProcessHandle.current().pid();
  }

  /** The host name up to its first dot, in the characters a node name allows; {@code relay} if there is none. */
  private static String shortHost() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "relay";
      }
    }
    String name = host.replaceFirst("\\..*$", "").replaceAll("[^A-Za-z0-9_-]", "-");
    name = name.length() > 40 ? name.substring(0, 40) : name;
    return name.isEmpty() ? "relay" : name;
  }
}
