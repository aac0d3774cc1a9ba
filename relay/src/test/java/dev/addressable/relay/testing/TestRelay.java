package dev.addressable.relay.testing;

import dev.addressable.relay.Relay;
import dev.addressable.relay.config.RelayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** A real relay on a free port with its own data directory, for tests over real HTTP. */
public final class TestRelay implements AutoCloseable {

  private final Relay relay;
  private final Path dataDir;

  private TestRelay(Relay relay, Path dataDir) {
    this.relay = relay;
    this.dataDir = dataDir;
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
    RelayConfig defaults = RelayConfig.defaults();
    RelayConfig config = tweak.apply(defaults.withServer(defaults.server().withPort(0).withDataDir(dataDir)));
    return new TestRelay(Relay.start(config), dataDir);
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

  @Override
  public void close() {
    relay.close();
  }
}
