package dev.addressable.relay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster flags: parsed, checked with messages that name flag and value, the password never shown. */
class ClusterOptionsTest {

  private static ClusterConfig cluster(String... args) {
    return Options.parse(args, Map.of()).cluster().orElseThrow();
  }

  private static String refusal(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> Options.parse(args, Map.of())).getMessage();
  }

  @Test
  void withoutRedisTheRelayKeepsItsStateInMemory() {
    assertTrue(RelayConfig.defaults().cluster().isEmpty());
    assertTrue(Options.parse(new String[] {"--redis-prefix", "x:", "--lease", "10"}, Map.of()).cluster().isEmpty());
  }

  @Test
  void redisTurnsClusterModeOnWithTheDocumentedDefaults() {
    ClusterConfig c = cluster("--redis", "redis://127.0.0.1:6379");
    assertEquals("redis://127.0.0.1:6379", c.redis().text());
    assertEquals("ar:", c.prefix());
    assertEquals(Duration.ofSeconds(1), c.timeout());
    assertEquals(ClusterConfig.Durability.AUTO, c.durability());
    assertEquals(Duration.ofSeconds(30), c.lease());
    assertEquals(Duration.ofSeconds(60), c.midWindow());
    assertTrue(c.nodeName().matches("[A-Za-z0-9_-]+-" + ProcessHandle.current().pid()), c.nodeName());
  }

  @Test
  void everyClusterFlagIsReadFromFlagOrEnvironment() {
    ClusterConfig c = Options.parse(new String[] {"--redis-timeout", "3", "--node-id", "web-1.a_b"},
        Map.of("ADDRESSABLE_REDIS", "rediss://cache:6380/2", "ADDRESSABLE_REDIS_PREFIX", "push:",
            "ADDRESSABLE_REDIS_DURABILITY", "ALWAYS", "ADDRESSABLE_LEASE", "12",
            "ADDRESSABLE_MID_WINDOW", "300")).cluster().orElseThrow();
    assertEquals("push:", c.prefix());
    assertEquals(Duration.ofSeconds(3), c.timeout());
    assertEquals(ClusterConfig.Durability.ALWAYS, c.durability());
    assertEquals("web-1.a_b", c.nodeName());
    assertEquals(Duration.ofSeconds(12), c.lease());
    assertEquals(Duration.ofSeconds(300), c.midWindow());
  }

  @Test
  void theThreeKindsOfUrlAreAccepted() {
    cluster("--redis", "redis://localhost");
    cluster("--redis", "redis://user:pw@[::1]:6379/0?timeout=2s");
    assertTrue(cluster("--redis", "redis-sentinel://s1:26379,s2:26379,s3#mymaster").redis().sentinel());
    cluster("--redis", "redis-sentinel://s1:26379/0?sentinelMasterId=main");
  }

  @Test
  void badUrlsAreRefusedWithTheReasonAndTheMaskedUrl() {
    assertTrue(refusal("--redis", "http://cache:6379").contains("must start with redis://"));
    assertTrue(refusal("--redis", "redis://").contains("names no host"));
    assertTrue(refusal("--redis", "redis://cache:99999").contains("port"));
    assertTrue(refusal("--redis", "redis://a:1,b:2").contains("only redis-sentinel://"));
    assertTrue(refusal("--redis", "redis-sentinel://s1:26379").contains("master id"));
    assertTrue(refusal("--redis", "redis://cache/db1").contains("database number"));
    String message = refusal("--redis", "redis://admin:hunter2-secret@cache:99999");
    assertTrue(message.startsWith("--redis is not a Redis URL"), message);
    assertTrue(message.contains("redis://admin:***@cache:99999"), message);
    assertFalse(message.contains("hunter2"), message);
    String bare = refusal("--redis", "hunter2-secret");
    assertFalse(bare.contains("hunter2"), bare);
  }

  @Test
  void thePasswordIsMaskedWhereverTheUrlIsShown() {
    ClusterConfig c = cluster("--redis", "redis://admin:s3cr3t-pw@cache:6379/0");
    assertEquals("redis://admin:***@cache:6379/0", c.redis().masked());
    assertFalse(c.toString().contains("s3cr3t"), c.toString());
    assertEquals("redis://***@cache", new RedisUrl("redis://onlypassword@cache").masked());
    assertEquals("rediss://***@h:1?password=***", new RedisUrl("rediss://p@ss@h:1?password=x").masked());
    assertEquals("cannot connect to redis://admin:***@cache:6379/0 (auth ***)",
        c.redis().scrub("cannot connect to redis://admin:s3cr3t-pw@cache:6379/0 (auth s3cr3t-pw)"));
  }

  @Test
  void badClusterValuesNameTheFlagAndTheValue() {
    assertTrue(refusal("--redis-prefix", "a{b}:").contains("--redis-prefix"));
    assertTrue(refusal("--redis-prefix", "a b").contains("--redis-prefix"));
    assertTrue(refusal("--redis-timeout", "0").contains("--redis-timeout must be between 1 and 60: 0"));
    assertTrue(refusal("--redis-durability", "sometimes").contains("--redis-durability must be auto, always or none: sometimes"));
    assertTrue(refusal("--node-id", "web 1").contains("--node-id must be 1 to 64"));
    assertTrue(refusal("--lease", "1").contains("--lease must be between 3"));
    assertTrue(refusal("--mid-window", "x").contains("--mid-window must be a whole number: x"));
  }
}
