package dev.addressable.relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.addressable.relay.config.ClusterConfig;
import dev.addressable.relay.config.Options;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RedisServerExtension;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.TempDirs;
import dev.addressable.relay.testing.TestRelay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --max-polls-per-channel} holds across the cluster (CLUSTER.md section 8): polls parked
 * at two relays count together, and the one past the limit gets what the memory store answers,
 * 429 {@code too_many_polls}, unless there is something to read.
 */
@Timeout(60)
class ClusterPollLimitTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private static Path shared;
  private static TestRelay a;
  private static TestRelay b;

  @BeforeAll
  static void startRelays() throws Exception {
    redis.command("FLUSHALL");
    shared = Files.createTempDirectory("addressable-poll-limit");
    a = TestRelay.start(shared, c -> c.withPoll(c.poll().withMaxPerChannel(2)).withCluster(cluster("limit-a")));
    b = TestRelay.start(shared, c -> c.withPoll(c.poll().withMaxPerChannel(2)).withCluster(cluster("limit-b")));
  }

  @AfterAll
  static void stopRelays() {
    b.close();
    a.close();
    TempDirs.delete(shared);
  }

  private static ClusterConfig cluster(String name) {
    return Options.parse(new String[] {"--redis", redis.uri(), "--node-id", name}, Map.of()).cluster().orElseThrow();
  }

  private static String leases(Connection c) {
    return redis.command("HVALS", "ar:{" + c.client() + "}:h:" + c.channel() + ":r");
  }

  @Test
  void pollsParkedAtTwoRelaysCountTogether() throws Exception {
    RelayClient toA = a.client();
    RelayClient toB = b.client();
    Connection c = toA.connect();
    CompletableFuture<Answer> atA = toA.pollAsync(c, c.cursor(), 20);
    CompletableFuture<Answer> atB = toB.pollAsync(c, c.cursor(), 20);
    Await.until("both polls hold the channel", Duration.ofSeconds(10),
        () -> leases(c).lines().filter(l -> l.endsWith(":1")).count() == 2);

    Answer refused = toB.poll(c, c.cursor(), 20);
    assertEquals(429, refused.status(), refused.body());
    assertEquals("too_many_polls", refused.json().get("error").asText());
    assertEquals("1", refused.header("Retry-After"));

    assertEquals(202, toA.sendGet(c.url(), "for the two that wait").status());
    assertEquals(200, atA.get(10, TimeUnit.SECONDS).status());
    assertEquals(200, atB.get(10, TimeUnit.SECONDS).status());
  }

  @Test
  void aPollPastTheLimitIsAnsweredWhenThereIsSomethingToRead() throws Exception {
    RelayClient toA = a.client();
    RelayClient toB = b.client();
    Connection c = toA.connect();
    String start = c.cursor();
    assertEquals(202, toA.sendGet(c.url(), "first").status());
    String past = toA.poll(c, start, 0).json().get("cursor").asText();
    CompletableFuture<Answer> atA = toA.pollAsync(c, past, 20);
    CompletableFuture<Answer> atB = toB.pollAsync(c, past, 20);
    Await.until("both polls hold the channel", Duration.ofSeconds(10),
        () -> leases(c).lines().filter(l -> l.endsWith(":1")).count() == 2);

    Answer behind = toB.poll(c, start, 20);
    assertEquals(200, behind.status(), behind.body());
    assertEquals("first", behind.json().get("messages").get(0).get("data").asText());
    assertEquals(429, toB.poll(c, past, 20).status());

    assertEquals(202, toA.sendGet(c.url(), "release").status());
    assertEquals(200, atA.get(10, TimeUnit.SECONDS).status());
    assertEquals(200, atB.get(10, TimeUnit.SECONDS).status());
  }
}
