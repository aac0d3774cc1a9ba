package dev.addressable.clusterit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RedisOptions;
import dev.addressable.relay.testing.RedisOptions.Persistence;
import dev.addressable.relay.testing.RedisServer;
import dev.addressable.relay.testing.RedisServerExtension;
import dev.addressable.relay.testing.RespClient;
import dev.addressable.relay.testing.Sockets;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The harness's Redis does what the cluster tests will count on: a real server, crashed and revived. */
@Timeout(60)
class RedisServerTest {

  /** Durable, as production should run it (CLUSTER.md §11). */
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension(RedisOptions.defaults().persistence(Persistence.ALWAYS));

  @Test
  void answersPingOnLoopbackWithTheOptionsItWasGiven() {
    RedisServer server = redis.server();
    assertEquals("PONG", server.command("PING"));
    assertEquals("redis://127.0.0.1:" + server.port(), server.uri());
    assertTrue(ProcessHandle.of(server.pid()).map(ProcessHandle::isAlive).orElse(false));
    assertEquals("appendfsync\nalways", server.command("CONFIG", "GET", "appendfsync"));
    assertEquals("bind\n127.0.0.1", server.command("CONFIG", "GET", "bind"));
    assertEquals("save\n", server.command("CONFIG", "GET", "save"));
  }

  @Test
  void speaksTheCommandsTestsNeed() {
    redis.command("FLUSHALL");
    assertEquals("OK", redis.command("SET", "k", "v"));
    assertEquals("v", redis.command("GET", "k"));
    assertNull(redis.command("GET", "missing"));
    assertEquals("1", redis.command("DBSIZE"));
    assertTrue(redis.command("INFO", "server").contains("redis_version:"), "INFO server");
    assertTrue(redis.command("CLIENT", "LIST").contains("cmd=client|list"), "CLIENT LIST sees itself");
    RespClient.ErrorReply error = assertThrows(RespClient.ErrorReply.class, () -> redis.command("NOSUCHCOMMAND"));
    assertTrue(error.getMessage().startsWith("ERR"), error.getMessage());
  }

  @Test
  void keepsAnAcknowledgedWriteThroughKill9UnderAppendfsyncAlways() {
    RedisServer server = redis.server();
    int port = server.port();
    assertEquals("OK", server.command("SET", "durable", "yes"));
    long before = server.pid();
    server.kill9();
    assertFalse(ProcessHandle.of(before).map(ProcessHandle::isAlive).orElse(false), "killed");
    server.restart();
    assertEquals(port, server.port());
    assertEquals("yes", server.command("GET", "durable"));
  }

  @Test
  void losesEverythingThroughKill9WithoutPersistence() {
    try (RedisServer server = RedisServer.start()) {
      assertEquals("appendonly\nno", server.command("CONFIG", "GET", "appendonly"));
      server.command("SET", "volatile", "yes");
      server.kill9();
      server.restart();
      assertNull(server.command("GET", "volatile"));
    }
  }

  @Test
  void aPausedServerAnswersNothingUntilResumed() {
    RedisServer server = redis.server();
    server.pause();
    try (RespClient client = server.connect(Duration.ofMillis(300))) { // the kernel still accepts
      UncheckedIOException silent = assertThrows(UncheckedIOException.class, () -> client.command("PING"));
      assertInstanceOf(SocketTimeoutException.class, silent.getCause());
      server.resume();
      assertEquals("PONG", client.read(), "the PING sent while paused is answered after SIGCONT");
    }
  }

  @Test
  void refusesWritesPastMaxmemoryInsteadOfEvicting() {
    try (RedisServer server = RedisServer.start(RedisOptions.defaults().maxMemory(4 << 20))) {
      assertEquals("maxmemory-policy\nnoeviction", server.command("CONFIG", "GET", "maxmemory-policy"));
      String big = "x".repeat(1 << 20);
      RespClient.ErrorReply full = assertThrows(RespClient.ErrorReply.class, () -> {
        for (int i = 0; i < 64; i++) {
          server.command("SET", "big" + i, big);
        }
      });
      assertTrue(full.getMessage().startsWith("OOM"), full.getMessage());
    }
  }

  @Test
  void stopEndsTheProcessAndFreesThePort() {
    RedisServer server = RedisServer.start();
    int port = server.port();
    long pid = server.pid();
    server.close();
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "stopped");
    Await.until("port " + port + " refusing connections", Duration.ofSeconds(5), () -> Sockets.refuses(port));
  }

  @Test
  void failsNamingThePackageWhenRedisServerIsMissing() {
    AssertionError missing = assertThrows(AssertionError.class,
        () -> RedisServer.start(RedisOptions.defaults().binary(Path.of("/nonexistent/redis-server"))));
    assertTrue(missing.getMessage().contains("apt-get install -y redis-server"), missing.getMessage());
  }
}
