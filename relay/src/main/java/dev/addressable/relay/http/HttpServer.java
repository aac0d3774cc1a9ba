package dev.addressable.relay.http;

import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.config.StartupException;
import dev.addressable.relay.http.fast.HotConnections;
import dev.addressable.relay.http.jetty.CoreRoutes;
import dev.addressable.relay.http.jetty.JavalinAnswers;
import dev.addressable.relay.http.jetty.JsonErrorHandler;
import dev.addressable.relay.http.route.Endpoints;
import dev.addressable.relay.http.route.Router;
import dev.addressable.relay.http.transport.WebSocketTransport;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.ErrorCodes;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.metrics.Metrics;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.net.BindException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's HTTP face: the connector (whose connections start as {@code fast.HotConnection}s), the
 * relay's routes and its WebSocket endpoint in front of Javalin ({@link CoreRoutes}), the limits
 * on connections, and the mapping of Jetty's and Javalin's own errors to the protocol's JSON error
 * form. Javalin serves only the routes an embedding application adds. The only package that knows
 * Javalin and Jetty is this one.
 */
public final class HttpServer {

  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
  private static final int ACCEPT_QUEUE = 4096;

  private final Javalin app;
  private final Endpoints endpoints;
  private final RelayConfig config;
  private final Metrics metrics;
  private final MemoryBudget budget;
  private final SelectorExecutor wakes;
  private final WorkerPool pool;
  private final Router router;
  /** The connector Javalin starts with, and its hot connections; set when they are made. */
  private volatile ServerConnector connector;
  private volatile HotConnections hot;

  /**
   * @param wakes where bulk wake-ups run; bound to this server's selectors once it listens
   * @param extensions routes of an application embedding the relay (added after the relay's own,
   *     and subject to the same headers and error mapping)
   */
  public HttpServer(RelayConfig config, Endpoints endpoints, WorkerPool pool, SelectorExecutor wakes,
      Metrics metrics, MemoryBudget budget, List<Extension> extensions) {
    this.config = config;
    this.pool = pool;
    this.wakes = wakes;
    this.metrics = metrics;
    this.budget = budget;
    this.endpoints = endpoints;
    this.router = new Router(endpoints, metrics, config.server().maxUrlLength());
    this.app = Javalin.create(cfg -> {
      configure(cfg);
      extensions.forEach(extension -> extension.configure(cfg));
    });
  }

  /**
   * Listens and serves.
   *
   * @throws StartupException if the address cannot be bound (the port is taken, or may not be
   *     bound by this user); the message says whether {@code --reuse-port} would help
   */
  public void start() {
    try {
      app.start();
    } catch (RuntimeException e) {
      BindException bind = bindFailure(e);
      if (bind == null) {
        throw e;
      }
      throw new StartupException(cannotListen(bind), e);
    }
    wakes.bind(connector.getSelectorManager());
    warnIfReusePortIgnored();
  }

  /** The {@link BindException} among {@code e}'s causes (Javalin and Jetty wrap it twice), or {@code null}. */
  private static BindException bindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException bind) {
        return bind;
      }
      for (Throwable suppressed : t.getSuppressed()) {
        BindException found = bindFailure(suppressed);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private String cannotListen(BindException bind) {
    String where = config.server().host() + ":" + config.server().port();
    String reason = String.valueOf(bind.getMessage());
    if (!reason.toLowerCase(Locale.ROOT).contains("in use")) {
      return "cannot listen on " + where + ": " + reason;
    }
    return config.server().reusePort()
        ? "cannot listen on " + where + ": the port is in use by a process that did not bind it with SO_REUSEPORT;"
            + " every relay sharing a port needs --reuse-port, and all of them must run as the same user"
        : "cannot listen on " + where + ": the port is in use (another relay or another program);"
            + " to run several relay processes on one port, start every one of them with --reuse-port";
  }

  /** Jetty sets SO_REUSEPORT quietly, ignoring a failure: say so when the option did not take. */
  private void warnIfReusePortIgnored() {
    if (config.server().reusePort() && connector.getTransport() instanceof ServerSocketChannel channel) {
      try {
        if (!channel.getOption(StandardSocketOptions.SO_REUSEPORT)) {
          LOG.warn("--reuse-port: SO_REUSEPORT did not take on this system; no other process can share port {}", port());
        }
      } catch (IOException | UnsupportedOperationException e) {
        LOG.warn("--reuse-port: this system does not support SO_REUSEPORT ({}); no other process can share port {}",
            e.toString(), port());
      }
    }
  }

  /** The port listened on (the real one when configured as 0). */
  public int port() {
    return app.port();
  }

  /**
   * Stops taking connections: closes the listening socket, so a client that reconnects while the
   * relay shuts down is refused at once (and retries, soon reaching the next relay) instead of
   * being served by a relay that can only answer {@code shutting_down}, or accepted in the last
   * moment of {@link #stop} and then left without an answer. First step of a shutdown.
   */
  public void stopAccepting() {
    ServerConnector listening = connector;
    if (listening != null) {
      listening.shutdown();
    }
  }

  /** Tells WebSocket clients the relay is going away (close 1001); a step of a shutdown, after {@link #stopAccepting}. */
  public void closeStreams() {
    endpoints.transports().get(WebSocketTransport.class).goingAway(1_000);
  }

  /**
   * Stops the server. Call after the parker was drained: waits up to a second for the pool to
   * write the answers that drain produced, so parked receivers get them rather than a cut.
   */
  public void stop() {
    long deadline = System.nanoTime() + 1_000_000_000L;
    try {
      while ((pool.isBusy() || hot != null && hot.writing() > 0)
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    wakes.unbind();
    app.stop();
  }

  private void configure(JavalinConfig cfg) {
    int maxUrl = config.server().maxUrlLength();
    cfg.startup.showJavalinBanner = false;
    cfg.startup.showOldJavalinVersionWarning = false;
    cfg.http.prefer405over404 = true;
    cfg.http.maxRequestSize = maxBodyBytes();
    cfg.router.ignoreTrailingSlashes = true;
    cfg.jetty.threadPool = pool.threads;
    cfg.jetty.modifyHttpConfiguration(http -> {
      http.setRequestHeaderSize(maxUrl + 8192);
      // Jetty builds a header-field cache per connection (1,024 entries by default): ~100 kB for
      // every kept-alive connection, which is most of what a parked poll cost (docs/BENCHMARKS.md).
      http.setHeaderCacheSize(0);
      http.setSendServerVersion(false);
      http.setSendXPoweredBy(false);
    });
    cfg.jetty.modifyServer(server -> {
      server.setErrorHandler(new JsonErrorHandler());
      ServerWebSocketContainer webSockets = ServerWebSocketContainer.ensure(server);
      webSockets.setMaxTextMessageSize(2L * config.inbox().maxMessageBytes() + 4096);
      webSockets.setMaxBinaryMessageSize(1024);
      webSockets.setIdleTimeout(config.poll().heartbeat().multipliedBy(4));
      // Javalin puts its servlet context inside this wrapper: requests it does not take go there.
      server.setHandler(new CoreRoutes(router, endpoints.transports().get(WebSocketTransport.class), webSockets, budget, maxBodyBytes(),
          config.limits().bodyTimeout().toMillis(), metrics));
      int maxConnections = config.limits().connections();
      server.addBean(new NetworkConnectionLimit(maxConnections, server));
    });
    cfg.jetty.addConnector((server, http) -> {
      // A connection starts as a HotConnection, which serves polls and GET sends on the selector
      // thread itself: so by default there is one selector per core (Jetty's default is half as
      // many). Fewer suit a relay that shares its cores (docs/operations.md).
      HttpConnectionFactory jettyHttp = new HttpConnectionFactory(http);
      // A hot connection hands Jetty a whole head, up to the largest Jetty accepts: Jetty's read
      // buffer must hold that much (it is pooled, and held only while a request is being read).
      jettyHttp.setInputBufferSize(http.getRequestHeaderSize());
      HotConnections hotConnections = new HotConnections(router, metrics, budget, jettyHttp, HotConnections.READ_SIZE,
          http.getRequestHeaderSize(), config.limits().headerTimeout().toMillis());
      int selectors = config.server().selectorThreads();
      ServerConnector connector = new ServerConnector(server, -1, selectors, hotConnections, jettyHttp);
      connector.setHost(config.server().host());
      connector.setPort(config.server().port());
      // Several processes on one port (docs/operations.md): the kernel spreads new connections
      // over every socket bound with SO_REUSEPORT, by a hash of the client's address and port.
      connector.setReusePort(config.server().reusePort());
      // Reconnect storms (a relay restart with thousands of tabs) must queue, not drop SYNs.
      connector.setAcceptQueueSize(ACCEPT_QUEUE);
      // A parked poll is silent until answered: the idle timeout must outlast the longest poll.
      connector.setIdleTimeout(config.poll().maxTimeout().toMillis() + 30_000);
      JettyMetrics.bind(metrics, pool.threads, connector);
      this.connector = connector;
      this.hot = hotConnections;
      return connector;
    });

    cfg.routes.before(ctx -> JavalinAnswers.prepare(ctx, maxUrl));
    cfg.routes.exception(HttpResponseException.class, (ex, ctx) -> {
      metrics.error();
      ApiException api = new ApiException(ex.getStatus(), ErrorCodes.code(ex.getStatus()), ErrorCodes.message(ex.getStatus()));
      JavalinAnswers.write(ctx, Answer.error(api, null));
    });
    cfg.routes.exception(Exception.class, (ex, ctx) -> {
      metrics.error();
      JavalinAnswers.write(ctx, Answer.failed(ex instanceof ApiException ? ex : malformedOr(ex), null));
    });
  }

  /** A request Jetty or Javalin could not parse is the client's fault (400), not a 500. */
  private static Throwable malformedOr(Exception ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      String name = t.getClass().getName();
      if (name.startsWith("org.eclipse.jetty.http.BadMessageException")
          || t instanceof java.nio.charset.CharacterCodingException
          || t instanceof IllegalArgumentException && name.startsWith("org.eclipse.jetty")
          || t instanceof java.io.IOException && name.startsWith("org.eclipse.jetty")) {
        return ApiException.badRequest("bad_request", "the request is malformed (bad encoding or framing)");
      }
    }
    return ex;
  }

  /** The largest request body: a message of the largest size, as JSON with every char escaped, and room for fields. */
  private long maxBodyBytes() {
    return 3L * config.inbox().maxMessageBytes() + 8192;
  }
}
