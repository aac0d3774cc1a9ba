package dev.addressable.relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.Version;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the build must keep true of Lettuce's Netty: one Netty version throughout (the native
 * epoll transport is pinned to the Netty Lettuce is built on: the parent pom's netty.version), and
 * on Linux x86-64 the native transport loads, which is what makes {@code TCP_USER_TIMEOUT} settable.
 */
class NettyAndLettuceTest {

  @Test
  void everyNettyArtifactHasOneVersion() {
    Map<String, String> versions = new TreeMap<>(Version.identify().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().artifactVersion())));
    assertTrue(versions.containsKey("netty-transport-native-epoll"), versions.toString());
    assertEquals(1, versions.values().stream().distinct().count(), "mixed Netty versions: " + versions);
  }

  @Test
  void theNativeTransportLoadsOnLinuxX8664() {
    if (System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").matches("amd64|x86_64")) {
      assertTrue(LettuceSettings.nativeTransport(), "epoll did not load: no TCP_USER_TIMEOUT");
    }
  }
}
