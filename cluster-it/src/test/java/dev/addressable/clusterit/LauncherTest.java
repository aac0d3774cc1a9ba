package dev.addressable.clusterit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.ChildProcesses;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.Sockets;
import dev.addressable.relay.testing.TempDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code relay/addressable-relay}, the command the README gives for running the relay: it starts
 * the shipped jar with the JVM settings the benchmarks measure (so users run what was measured),
 * passes the relay's options through, lets the environment add settings after its own, and
 * says how to build the jar when there is none.
 */
@Timeout(120)
class LauncherTest {

  private static final Path JAR = RelayProcess.defaultJar();
  private static final Path LAUNCHER = JAR.getParent().getParent().resolve("addressable-relay");

  @Test
  void itRunsTheJarWithTheMeasuredSettingsAndTheRelaysOwnOptions() throws Exception {
    Path dir = Files.createTempDirectory("addressable-launcher");
    int port = Sockets.freePort();
    ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "--port", Integer.toString(port), "--host",
        "127.0.0.1", "--data-dir", dir.resolve("data").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("relay.log").toFile());
    builder.environment().put("ADDRESSABLE_JAVA_OPTS", "-Xmx300m");
    Process relay = ChildProcesses.start(builder);
    try {
      RelayClient client = new RelayClient("http://127.0.0.1:" + port);
      Await.until("the relay started by the launcher answers", Duration.ofSeconds(60), () -> {
        try {
          return client.get("/health").status() == 200;
        } catch (RuntimeException notYet) {
          return false;
        }
      });
      List<String> args = List.of(relay.info().arguments().orElseThrow());
      assertTrue(relay.info().command().orElseThrow().endsWith("java"), "the launcher became the JVM: " + relay.info());
      for (String setting : List.of("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-Xss256k", "-Xmn32m",
          "-XX:MaxDirectMemorySize=64m")) {
        assertTrue(args.contains(setting), setting + " in " + args);
      }
      assertTrue(args.indexOf("-Xmx350m") < args.indexOf("-Xmx300m"), "ADDRESSABLE_JAVA_OPTS comes after, so it wins: " + args);
      assertEquals(JAR.toString(), args.get(args.indexOf("-jar") + 1));
      assertTrue(args.containsAll(List.of("--port", Integer.toString(port))), "the relay's options pass through: " + args);
    } finally {
      ChildProcesses.terminate(relay);
      TempDirs.delete(dir);
    }
  }

  @Test
  void withoutAJarItSaysHowToBuildOne() throws Exception {
    ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString()).redirectErrorStream(true);
    builder.environment().put("ADDRESSABLE_JAR", "/nonexistent/relay.jar");
    Process launcher = builder.start();
    String output = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(launcher.waitFor(10, TimeUnit.SECONDS));
    assertEquals(1, launcher.exitValue(), output);
    assertTrue(output.contains("no relay jar at /nonexistent/relay.jar; build it first: mvn"), output);
  }
}
