package dev.addressable.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressable.relay.config.Option;
import dev.addressable.relay.config.Options;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RedisOptions;
import dev.addressable.relay.testing.RedisServer;
import dev.addressable.relay.testing.TempDirs;
import dev.addressable.relay.testing.TestRelay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README never lies: its curl walk-through runs as written, and its table lists every option. */
@Timeout(60)
class ReadmeTest {

  private static final Path README = Path.of("..", "README.md");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void configurationTableListsEveryOptionWithItsEnvironmentVariableAndDefault() throws IOException {
    String readme = Files.readString(README);
    for (Option option : Options.ALL) {
      String row = readme.lines().filter(l -> l.startsWith("| `" + option.flag() + "` ")).findFirst()
          .orElseThrow(() -> new AssertionError("README has no row for " + option.flag()));
      assertTrue(row.contains("`" + option.env() + "`"), row);
      assertTrue(option.defaultValue().isEmpty() || row.contains("| " + option.defaultValue() + " |"), row);
    }
  }

  @Test
  void curlWalkThroughWorksAsWritten() throws Exception {
    String readme = Files.readString(README);
    String quickStart = readme.substring(readme.indexOf("## Quick start"), readme.indexOf("## Concepts"));
    List<String> curls = quickStart.lines().filter(l -> l.startsWith("    curl -s")).map(String::trim).toList();
    assertEquals(3, curls.size(), "connect, poll, send: " + curls);
    try (TestRelay relay = TestRelay.start()) {
      String here = "127.0.0.1:" + relay.port();
      JsonNode connected = JSON.readTree(run(curls.get(0).replace("localhost:8080", here), Map.of()));
      Map<String, String> env = Map.of(
          "CLIENT", connected.get("client").asText(), "KEY", connected.get("key").asText(),
          "CHANNEL", connected.get("channel").asText(), "CURSOR", connected.get("cursor").asText(),
          "URL", connected.get("url").asText());

      Process poll = start(curls.get(1).replace("localhost:8080", here), env);
      Await.until("the README's poll parked", Duration.ofSeconds(10),
          () -> relay.relay().receivers().waiterCount(new ChannelId(env.get("CLIENT"), env.get("CHANNEL"))) >= 1);
      assertEquals("{\"seq\":1,\"delivered\":1}", run(curls.get(2), env));
      assertTrue(poll.waitFor(10, TimeUnit.SECONDS));
      JsonNode answer = JSON.readTree(new String(poll.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      assertEquals("hello", answer.get("messages").get(0).get("data").asText());

      String status = readme.lines().filter(l -> l.trim().startsWith("curl -s localhost:8080/status/")).findFirst()
          .orElseThrow().trim().replaceAll("\\s+#.*$", "").replace("localhost:8080", here);
      JsonNode online = JSON.readTree(run(status, env));
      assertTrue(online.get("online").asBoolean(), online.toString());
      String topic = readme.lines().filter(l -> l.trim().equals("curl -s -X POST localhost:8080/topics")).findFirst()
          .orElseThrow().trim().replace("localhost:8080", here);
      assertTrue(JSON.readTree(run(topic, env)).get("url").asText().startsWith("http://" + here + "/t/"));
    }
  }

  @Test
  void severalRelaysWalkThroughWorksAsWritten() throws Exception {
    String readme = Files.readString(README);
    String section = readme.substring(readme.indexOf("## Several relays"), readme.indexOf("## Configuration"));
    List<String> code = section.lines().filter(l -> l.startsWith("    ")).map(String::trim).toList();
    List<String> redisArgs = arguments(code.get(0), "redis-server");
    List<String> relayA = arguments(code.get(1), "java -jar relay/target/relay.jar");
    List<String> relayB = arguments(code.get(2), "java -jar relay/target/relay.jar");
    List<String> curls = code.subList(3, code.size());
    assertEquals(3, curls.size(), "connect, poll, send: " + curls);
    assertEquals("6379", redisArgs.get(redisArgs.indexOf("--port") + 1), code.get(0));

    // The README's Redis, on a free port (the harness gives the port, the README the rest).
    List<String> settings = new ArrayList<>(redisArgs);
    settings.subList(settings.indexOf("--port"), settings.indexOf("--port") + 2).clear();
    Path data = Files.createTempDirectory("addressable-readme");
    try (RedisServer redis = RedisServer.start(RedisOptions.defaults().args(settings.toArray(String[]::new)));
         TestRelay a = TestRelay.start(data, c -> fromReadme(c, relayA, redis.port()));
         TestRelay b = TestRelay.start(data, c -> fromReadme(c, relayB, redis.port()))) {
      assertTrue(redis.command("CONFIG", "GET", "appendfsync").contains("always"), "the README's Redis fsyncs every write");
      String hereA = "127.0.0.1:" + a.port();
      String hereB = "127.0.0.1:" + b.port();
      JsonNode connected = JSON.readTree(run(curls.get(0).replace("localhost:8080", hereA), Map.of()));
      Map<String, String> env = Map.of(
          "CLIENT", connected.get("client").asText(), "KEY", connected.get("key").asText(),
          "CHANNEL", connected.get("channel").asText(), "CURSOR", connected.get("cursor").asText(),
          "URL", connected.get("url").asText());
      assertTrue(env.get("URL").startsWith("http://" + hereA + "/"), env.get("URL"));

      Process poll = start(curls.get(1).replace("localhost:8081", hereB), env);
      Await.until("the README's poll parked at the second relay", Duration.ofSeconds(10),
          () -> b.hasReceiver(env.get("CLIENT"), env.get("CHANNEL")));
      JsonNode sent = JSON.readTree(run(curls.get(2), env));
      assertEquals(1, sent.get("seq").asInt(), sent.toString());
      assertTrue(poll.waitFor(10, TimeUnit.SECONDS));
      JsonNode answer = JSON.readTree(new String(poll.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      assertEquals("hello", answer.get("messages").get(0).get("data").asText());
    } finally {
      TempDirs.delete(data);
    }
  }

  /** The words after {@code command} on a README line, without a trailing {@code &}. */
  private static List<String> arguments(String line, String command) {
    assertTrue(line.startsWith(command + " "), line);
    return List.of(line.substring(command.length()).replaceAll("&$", "").trim().split("\\s+"));
  }

  /** The relay a README line starts, on a free port and the test's data dir, its Redis on {@code port}. */
  private static RelayConfig fromReadme(RelayConfig config, List<String> args, int port) {
    String[] flags = args.stream().map(a -> a.replace("localhost:6379", "127.0.0.1:" + port)).toArray(String[]::new);
    RelayConfig parsed = Options.parse(flags, Map.of());
    assertTrue(parsed.server().port() == 8080 || parsed.server().port() == 8081, args.toString());
    return config.withCluster(parsed.cluster().orElseThrow());
  }

  private static Process start(String command, Map<String, String> env) throws IOException {
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(env);
    return builder.start();
  }

  private static String run(String command, Map<String, String> env) throws Exception {
    Process process = start(command, env);
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), command);
    assertEquals(0, process.exitValue(), command);
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }
}
