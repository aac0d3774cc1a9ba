package dev.addressable.relay.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Redis per test class:
 * {@code @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();}.
 * Started before the class's tests on a free port, stopped (and its directory deleted) after them.
 * Fails, never skips, without {@code redis-server} (CLUSTER.md §2).
 *
 * <p>Each test finds the server running: one that a test paused is resumed after it, and one it
 * killed or stopped is restarted (same port, same options). Its data is not reset: a test that
 * needs an empty server says so with {@code redis.server().command("FLUSHALL")}.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  private final RedisOptions options;
  private RedisServer server;

  public RedisServerExtension() {
    this(RedisOptions.defaults());
  }

  public RedisServerExtension(RedisOptions options) {
    this.options = options;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = RedisServer.start(options);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (server.isPaused()) {
      server.resume();
    }
    if (!server.isAlive()) {
      server.restart();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }

  /** The class's server. */
  public RedisServer server() {
    return server;
  }

  public int port() {
    return server.port();
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public String uri() {
    return server.uri();
  }

  /** See {@link RedisServer#command}. */
  public String command(String... args) {
    return server.command(args);
  }
}
