package dev.addressable.relay.testing;

import dev.addressable.relay.Relay;
import dev.addressable.relay.config.RelayConfig;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real relay per test class:
 * {@code @RegisterExtension static final RelayExtension relay = new RelayExtension();}. Started
 * before the class's tests on a free port with its own data directory, stopped after them.
 */
public final class RelayExtension implements BeforeAllCallback, AfterAllCallback {

  private final UnaryOperator<RelayConfig> tweak;
  private TestRelay relay;
  private RelayClient http;

  public RelayExtension() {
    this(UnaryOperator.identity());
  }

  /** With the defaults changed by {@code tweak}. */
  public RelayExtension(UnaryOperator<RelayConfig> tweak) {
    this.tweak = tweak;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    relay = TestRelay.start(tweak);
    http = relay.client();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    relay.close();
  }

  /** A client of the relay, shared by the class's tests. */
  public RelayClient http() {
    return http;
  }

  public RelayClient client() {
    return relay.client();
  }

  public Relay relay() {
    return relay.relay();
  }

  public String base() {
    return relay.base();
  }

  public int port() {
    return relay.port();
  }

  /** The relay's clock, for a test to move on (the class's tests share it). */
  public TestClock clock() {
    return relay.clock();
  }

  /** Runs the relay's housekeeping sweep now: see {@link TestRelay#sweep}. */
  public void sweep() {
    relay.sweep();
  }

  /** See {@link TestRelay#hasReceiver}. */
  public boolean hasReceiver(String client, String channel) {
    return relay.hasReceiver(client, channel);
  }
}
