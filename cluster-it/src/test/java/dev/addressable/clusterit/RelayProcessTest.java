package dev.addressable.clusterit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.Sockets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shipped jar runs as a node of its own, and the harness can crash, freeze and stop it. */
@Timeout(120)
class RelayProcessTest {

  private static final Duration SOON = Duration.ofSeconds(10);

  @Test
  void startsFromTheJarAnswersHealthAndDiesOnKill9FreeingItsPort() throws IOException {
    assertTrue(Files.isReadable(RelayProcess.defaultJar()), "the reactor packaged " + RelayProcess.defaultJar());
    try (RelayProcess relay = RelayProcess.named("kill9").start()) {
      assertEquals(200, relay.health(SOON));
      RelayClient.Connection tab = relay.client().connect();
      assertEquals(202, relay.client().sendGet(tab.url(), "hi").status());
      assertTrue(Files.readString(relay.log()).contains("listening on http://127.0.0.1:" + relay.port()), relay.logTail(20));

      long pid = relay.pid();
      relay.kill9();
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "killed");
      Await.until("port " + relay.port() + " refusing connections", SOON, () -> Sockets.refuses(relay.port()));
      try (ServerSocket reuse = new ServerSocket(relay.port(), 1, InetAddress.getLoopbackAddress())) {
        assertEquals(relay.port(), reuse.getLocalPort(), "the port is free to bind again");
      }
    }
  }

  @Test
  void pausedRelayAnswersNothingUntilResumedAndStopsInOrder() throws IOException {
    try (RelayProcess relay = RelayProcess.named("pause").args("--poll-timeout", "5").env("ADDRESSABLE_INBOX_AGE", "60").start()) {
      Path proc = Path.of("/proc", Long.toString(relay.pid()));
      assertTrue(Files.readString(proc.resolve("cmdline")).contains("--poll-timeout\0" + "5\0"), "extra args passed");
      assertTrue(Files.readString(proc.resolve("environ")).contains("ADDRESSABLE_INBOX_AGE=60\0"), "env passed");
      assertTrue(Files.readString(proc.resolve("cmdline")).contains("-Xmx128m\0"), "a small heap");

      relay.pause();
      assertThrows(IOException.class, () -> relay.health(Duration.ofMillis(500)), "a frozen relay answers nothing");
      relay.resume();
      assertEquals(200, relay.health(SOON));

      assertEquals(143, relay.stop(), "SIGTERM ends the JVM after its shutdown hooks");
      assertFalse(relay.isAlive());
    }
  }

  @Test
  void aFailedStartShowsTheRelaysOwnWords() {
    AssertionError failed = assertThrows(AssertionError.class, () -> RelayProcess.named("bad").args("--no-such-option", "1").start());
    assertTrue(failed.getMessage().contains("unknown option: --no-such-option"), failed.getMessage());
  }

  @Test
  void aMissingJarSaysHowToBuildIt() {
    AssertionError missing = assertThrows(AssertionError.class,
        () -> RelayProcess.named("nojar").jar(Path.of("/nonexistent/relay.jar")).start());
    assertTrue(missing.getMessage().contains("mvn -B -ntp -pl cluster-it -am verify"), missing.getMessage());
  }
}
