package dev.addressable.relay.testing;

import dev.addressable.relay.Relay;
import dev.addressable.relay.TestHooks;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.store.ChannelId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real relay on a free port with its own data directory, for tests over real HTTP. It runs on a
 * {@link TestClock}: the real time until the test moves it on ({@link #clock()}), after which
 * {@link #sweep()} makes the relay act on the new time at once.
 */
public final class TestRelay implements AutoCloseable {

  private final Relay relay;
  private final Path dataDir;
  private final TestClock clock;

  private TestRelay(Relay relay, Path dataDir, TestClock clock) {
    this.relay = relay;
    this.dataDir = dataDir;
    this.clock = clock;
  }

  public static TestRelay start() {
    return start(UnaryOperator.identity());
  }

  /** Starts with the defaults changed by {@code tweak} (port and data dir are set here). */
  public static TestRelay start(UnaryOperator<RelayConfig> tweak) {
    try {
      return start(Files.createTempDirectory("addressable-test"), tweak);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TestRelay start(Path dataDir, UnaryOperator<RelayConfig> tweak) {
    return start(dataDir, tweak, new TestClock());
  }

  /** The same on {@code clock}, e.g. one clock for a relay and the relay that replaces it. */
  public static TestRelay start(Path dataDir, UnaryOperator<RelayConfig> tweak, TestClock clock) {
    RelayConfig defaults = RelayConfig.defaults();
    RelayConfig config = tweak.apply(defaults.withServer(defaults.server().withPort(0).withDataDir(dataDir)));
    return new TestRelay(Relay.start(config, clock, List.of()), dataDir, clock);
  }

  public Relay relay() {
    return relay;
  }

  public Path dataDir() {
    return dataDir;
  }

  public int port() {
    return relay.port();
  }

  public String base() {
    return "http://127.0.0.1:" + relay.port();
  }

  /** A client of this relay. */
  public RelayClient client() {
    return new RelayClient(base());
  }

  /** A gauge or counter of this relay's {@code /metrics} now, e.g. {@code addressable_hubs_open}. */
  public long metric(String name) {
    String text = client().get("/metrics").body();
    return text.lines().filter(l -> l.startsWith(name + " ")).mapToLong(l -> (long) Double.parseDouble(l.split(" ")[1]))
        .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in /metrics"));
  }

  /** The relay's clock, for a test to move on. */
  public TestClock clock() {
    return clock;
  }

  /**
   * Runs the relay's housekeeping sweep now (it otherwise runs on its own period): what expired by
   * the clock goes, and channels past their grace are reported offline.
   */
  public void sweep() {
    TestHooks.sweep(relay);
  }

  /**
   * Whether a receiver holds {@code channel} of {@code client} now: a poll that has not only
   * joined the waiting list but also taken its lease, after which no sweep drops the channel. It
   * moves the clock on by a millisecond, since a held channel reports itself seen at this instant
   * and an unheld one when it was last seen.
   */
  public boolean holds(String client, String channel) {
    clock.advance(Duration.ofMillis(1));
    Long seen = relay.store().status(new ChannelId(client, channel)).toCompletableFuture().join().lastSeen();
    return seen != null && seen == clock.getAsLong();
  }

  /**
   * Whether a receiver is at {@code channel} of {@code client} right now: a parked poll or an open
   * stream waiting for its next message. Without one, a channel is online only by its grace period.
   */
  public boolean hasReceiver(String client, String channel) {
    return relay.receivers().waiterCount(new ChannelId(client, channel)) > 0;
  }

  @Override
  public void close() {
    relay.close();
  }
}
