package dev.addressable.relay.http;

import dev.addressable.relay.address.TooManyChannelsException;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.feed.TooManyTopicsException;
import dev.addressable.relay.feed.TooManyWaitersException;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.parking.OverloadedException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's HTTP face: routes, the headers every answer carries, and the mapping of every
 * failure to the protocol's JSON error form. The only class that knows Javalin is in this package.
 */
public final class HttpServer {

  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

  private static final int ACCEPT_QUEUE = 4096;

  private final Javalin app;
  private final HotRoutes hotRoutes;
  private final Endpoints endpoints;
  private final RelayConfig config;
  private final Metrics metrics;
  private final SelectorExecutor wakes;
  /** The connector Javalin starts with; set when it is made. */
  private volatile ServerConnector connector;

  /**
   * @param wakes where bulk wake-ups run; bound to this server's selectors once it listens
   * @param extensions routes of an application embedding the relay (added after the relay's own,
   *     and subject to the same headers and error mapping)
   */
  public HttpServer(RelayConfig config, Endpoints endpoints, QueuedThreadPool pool, SelectorExecutor wakes,
      Metrics metrics, List<Consumer<JavalinConfig>> extensions) {
    this.config = config;
    this.wakes = wakes;
    this.metrics = metrics;
    this.endpoints = endpoints;
    this.hotRoutes = new HotRoutes(endpoints.poll(), endpoints.send(), metrics, config.server().maxUrlLength());
    this.app = Javalin.create(cfg -> {
      configure(cfg, endpoints, pool);
      extensions.forEach(extension -> extension.accept(cfg));
    });
  }

  /** The pool Jetty runs handlers on; the streaming transports deliver on it too. */
  public static QueuedThreadPool threadPool(RelayConfig config) {
    QueuedThreadPool pool = new QueuedThreadPool(config.server().maxThreads(), 4, 60_000);
    pool.setName("addressable-http");
    return pool;
  }

  public void start() {
    app.start();
    wakes.bind(connector.getSelectorManager());
  }

  /** The port listened on (the real one when configured as 0). */
  public int port() {
    return app.port();
  }

  /** Tells WebSocket clients the relay is going away (close 1001); first step of a shutdown. */
  public void closeStreams() {
    endpoints.webSocket().goingAway(1_000);
  }

  /**
   * Stops the server. Call after the parker was drained: waits up to a second for the pool to
   * write the answers that drain produced, so parked receivers get them rather than a cut.
   */
  public void stop(QueuedThreadPool pool) {
    long deadline = System.nanoTime() + 1_000_000_000L;
    try {
      while ((pool.getBusyThreads() > 0 || pool.getQueueSize() > 0 || hotRoutes.writing() > 0)
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    wakes.unbind();
    app.stop();
  }

  private void configure(JavalinConfig cfg, Endpoints e, QueuedThreadPool pool) {
    int maxUrl = config.server().maxUrlLength();
    cfg.startup.showJavalinBanner = false;
    cfg.startup.showOldJavalinVersionWarning = false;
    cfg.http.prefer405over404 = true;
    cfg.http.maxRequestSize = 3L * config.inbox().maxMessageBytes() + 8192;
    cfg.router.ignoreTrailingSlashes = true;
    cfg.jetty.threadPool = pool;
    cfg.jetty.modifyWebSocketServletFactory(ws -> {
      ws.setMaxTextMessageSize(2L * config.inbox().maxMessageBytes() + 4096);
      ws.setMaxBinaryMessageSize(1024);
      ws.setIdleTimeout(config.poll().heartbeat().multipliedBy(4));
    });
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
      // Javalin puts its servlet context inside this wrapper: requests it does not take go there.
      server.setHandler(hotRoutes);
    });
    cfg.jetty.addConnector((server, http) -> {
      // A connection starts as a HotConnection, which serves polls and GET sends on the selector
      // thread itself: so by default there is one selector per core (Jetty's default is half as
      // many). Fewer suit a relay that shares its cores (docs/operations.md).
      HttpConnectionFactory jettyHttp = new HttpConnectionFactory(http);
      HotConnection.Factory hot = new HotConnection.Factory(hotRoutes, metrics, jettyHttp, http.getInputBufferSize());
      int selectors = config.server().selectorThreads();
      ServerConnector connector = new ServerConnector(server, -1, selectors, hot, jettyHttp);
      connector.setHost(config.server().host());
      connector.setPort(config.server().port());
      // Reconnect storms (a relay restart with thousands of tabs) must queue, not drop SYNs.
      connector.setAcceptQueueSize(ACCEPT_QUEUE);
      // A parked poll is silent until answered: the idle timeout must outlast the longest poll.
      connector.setIdleTimeout(config.poll().maxTimeout().toMillis() + 30_000);
      this.connector = connector;
      return connector;
    });

    cfg.routes.before(this::prepare);
    for (String path : new String[] {"/connect", "/poll", "/events", "/ack", "/topics", "/subscribe", "/unsubscribe",
        "/m/{client}", "/m/{client}/{channel}", "/t/{topic}", "/ev/{name}", "/status/m/{client}",
        "/status/m/{client}/{channel}", "/m/{client}/{channel}/status"}) {
      cfg.routes.options(path, ctx -> ctx.status(204));
    }
    cfg.routes.post("/connect", e.connect()::handle);
    cfg.routes.get("/connect", e.connect()::handle);
    for (String address : new String[] {"/m/{client}", "/m/{client}/{channel}", "/t/{topic}"}) {
      cfg.routes.post(address, e.send()::handle);
      cfg.routes.head(address, e.send()::handle);
    }
    cfg.routes.get("/ev/{name}", e.events()::await);
    cfg.routes.post("/ev/{name}", e.events()::set);
    cfg.routes.post("/topics", e.topics()::create);
    cfg.routes.post("/subscribe", e.topics()::subscribe);
    cfg.routes.post("/unsubscribe", e.topics()::unsubscribe);
    cfg.routes.get("/status/m/{client}", e.status()::handle);
    cfg.routes.get("/status/m/{client}/{channel}", e.status()::handle);
    cfg.routes.get("/m/{client}/{channel}/status", e.status()::handle);
    cfg.routes.get("/events", e.sse()::handle);
    cfg.routes.post("/ack", e.ack()::handle);
    cfg.routes.ws("/ws", e.webSocket()::configure);
    for (String file : AssetsEndpoint.FILES) {
      cfg.routes.get("/" + file, e.assets()::handle);
    }
    cfg.routes.get("/health", e.ops()::health);
    cfg.routes.get("/metrics", e.ops()::metrics);

    cfg.routes.exception(ApiException.class, (ex, ctx) -> fail(ctx, ex));
    cfg.routes.exception(HttpResponseException.class, (ex, ctx) ->
        fail(ctx, new ApiException(ex.getStatus(), ErrorCodes.code(ex.getStatus()), ErrorCodes.message(ex.getStatus()))));
    cfg.routes.exception(Exception.class, (ex, ctx) -> fail(ctx, toApiException(ex)));
  }

  /** Headers for every answer, the URL limit, and the JSONP callback check. */
  private void prepare(Context ctx) {
    for (Map.Entry<String, String> header : Answer.COMMON_HEADERS) {
      ctx.header(header.getKey(), header.getValue());
    }
    String query = ctx.req().getQueryString();
    Requests.checkUrl(ctx.req().getRequestURI(), query, config.server().maxUrlLength());
    if ("OPTIONS".equals(ctx.method().name())) {
      ctx.header("Access-Control-Allow-Methods", "GET, POST, HEAD, OPTIONS");
      ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID");
      ctx.header("Access-Control-Max-Age", "600");
      return;
    }
    String callback = Jsonp.callback(ctx.queryParam("callback"));
    if (callback != null) {
      ctx.attribute(Responder.CALLBACK_ATTRIBUTE, callback);
    }
  }

  private void fail(Context ctx, ApiException ex) {
    metrics.error();
    Responder.error(ctx, ex);
  }

  /**
   * The protocol error for a failure of the core: capacity limits become 429 or 503, a malformed
   * request 400, anything else a logged 500 whose answer holds no detail.
   */
  static ApiException toApiException(Exception ex) {
    if (ex instanceof ApiException api) {
      return api;
    }
    if (ex instanceof TooManyWaitersException) {
      return ApiException.retryLater(429, "too_many_polls", ex.getMessage(), 1);
    }
    if (ex instanceof TooManyTopicsException) {
      return new ApiException(429, "too_many_topics", ex.getMessage());
    }
    if (ex instanceof TooManyChannelsException channels) {
      return channels.relayWide()
          ? ApiException.retryLater(503, "overloaded", ex.getMessage(), 5)
          : ApiException.retryLater(429, "too_many_channels", ex.getMessage(), 30);
    }
    if (ex instanceof OverloadedException) {
      return ApiException.retryLater(503, "overloaded", ex.getMessage(), 5);
    }
    if (isMalformedRequest(ex)) {
      return ApiException.badRequest("bad_request", "the request is malformed (bad encoding or framing)");
    }
    LOG.error("unexpected failure", ex);
    return new ApiException(500, "internal_error", ErrorCodes.message(500));
  }

  private static boolean isMalformedRequest(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      String name = t.getClass().getName();
      if (name.startsWith("org.eclipse.jetty.http.BadMessageException")
          || name.equals("java.nio.charset.MalformedInputException")
          || name.equals("org.eclipse.jetty.util.Utf8StringBuilder$Utf8IllegalArgumentException")
          || t instanceof java.io.IOException && t.getClass().getName().startsWith("org.eclipse.jetty")) {
        return true;
      }
    }
    return false;
  }
}
