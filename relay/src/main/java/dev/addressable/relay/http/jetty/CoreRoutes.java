package dev.addressable.relay.http.jetty;

import dev.addressable.relay.http.fast.HotConnection;
import dev.addressable.relay.http.fast.HotConnections;
import dev.addressable.relay.http.route.Router;
import dev.addressable.relay.http.transport.WebSocketTransport;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.Call;
import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.http.wire.Fields;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.http.wire.Route;
import dev.addressable.relay.memory.Fatal;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.parking.Cancellable;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * The relay's routes on Jetty's own connection, as a Jetty core handler in front of Javalin:
 * every request the {@link HotConnection} did not serve itself comes here, and those that name
 * one of the relay's endpoints ({@link Route}) are served by the {@link Router}, the same one the
 * hot connection uses. Everything else (the WebSocket upgrade, an embedding application's routes,
 * unknown paths) falls through to Javalin.
 *
 * <p>Nothing here holds a thread while a client is slow: a body is read as it arrives
 * ({@link BodyReader}), an answer is one non-blocking write, a stream writes one chunk at a time
 * as the socket takes them, and a waiting request learns at once that its client went away
 * ({@link HangUpWatch}).
 */
public final class CoreRoutes extends Handler.Wrapper {

  private static final HttpField[] COMMON_HEADERS = Answer.COMMON_HEADERS.stream()
      .map(header -> new PreEncodedHttpField(header.getKey(), header.getValue()))
      .toArray(HttpField[]::new);
  private static final HttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, Answer.NO_STORE);
  private static final HttpField NO_PROXY_BUFFERING = new PreEncodedHttpField("X-Accel-Buffering", "no");

  private final Router router;
  private final WebSocketTransport webSocket;
  private final ServerWebSocketContainer webSockets;
  private final MemoryBudget budget;
  private final long maxBodyBytes;
  private final long bodyTimeoutMillis;
  private final Metrics metrics;

  public CoreRoutes(Router router, WebSocketTransport webSocket, ServerWebSocketContainer webSockets, MemoryBudget budget,
      long maxBodyBytes, long bodyTimeoutMillis, Metrics metrics) {
    this.router = router;
    this.webSocket = webSocket;
    this.webSockets = webSockets;
    this.budget = budget;
    this.maxBodyBytes = maxBodyBytes;
    this.bodyTimeoutMillis = bodyTimeoutMillis;
    this.metrics = metrics;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    try {
      return route(request, response, callback);
    } catch (Error e) {
      Fatal.exitIfFatal(e); // Jetty would answer 500 and go on: the relay ends instead (memory/Fatal)
      throw e;
    }
  }

  private boolean route(Request request, Response response, Callback callback) throws Exception {
    HotConnection next = returnToHotConnection(request);
    Route route = Route.of(Request.getPathInContext(request));
    if (route == null) {
      return super.handle(request, response, callback);
    }
    CoreExchange exchange = new CoreExchange(request, response, callback, next);
    String method = request.getMethod();
    if (route.kind() == Route.Kind.WEBSOCKET && upgrade(request, response, callback)) {
      return true;
    }
    if (!Router.readsBody(method)) {
      if (route.isHot() && HttpMethod.GET.is(method)) {
        metrics.hotRouteOnJetty();
      }
      router.serve(route, call(request, Call.NO_BODY), exchange);
      return true;
    }
    BodyReader.read(request, maxBodyBytes, bodyTimeoutMillis, budget, (body, refused) -> {
      if (refused != null) {
        metrics.error();
        exchange.answer(Answer.error(refused, null).with("Connection", "close"));
        return;
      }
      router.serve(route, call(request, body), exchange);
    });
    return true;
  }

  /**
   * Upgrades a WebSocket handshake to the relay's WebSocket endpoint.
   *
   * @return whether it did; if not, the router answers why
   */
  private boolean upgrade(Request request, Response response, Callback callback) {
    Call call = call(request, Call.NO_BODY);
    if (WebSocketTransport.handshakeError(call) != null) {
      return false;
    }
    Fields query;
    try {
      Requests.checkUrl(call.rawPath(), call.query(), Integer.MAX_VALUE);
      query = Fields.ofQuery(call.query());
    } catch (ApiException e) {
      return false; // the router answers the same refusal
    }
    String authorization = call.header("Authorization");
    return webSockets.upgrade((upgradeRequest, upgradeResponse, upgradeCallback) -> webSocket.socket(query, authorization),
        request, response, callback);
  }

  private static Call call(Request request, byte[] body) {
    String host = request.getHeaders().get(HttpHeader.HOST);
    String base = Requests.base(request.getHttpURI().getScheme(), host, Request.getLocalAddr(request),
        Request.getLocalPort(request));
    HttpFields headers = request.getHeaders();
    return new Call(request.getMethod(), Request.getPathInContext(request), request.getHttpURI().getPath(),
        request.getHttpURI().getQuery(), headers::get, body, base);
  }

  /**
   * Asks Jetty to give a kept-alive HTTP/1.1 connection back to a {@link HotConnection} once this
   * request is answered, so that a page's connection serves its polls on the fast path again after
   * a {@code POST /connect} (Jetty's upgrade hook, run when the answer is complete). WebSocket
   * handshakes and connections about to close stay as they are.
   *
   * @return the connection that will take over, or {@code null}
   */
  private static HotConnection returnToHotConnection(Request request) {
    ConnectionMetaData connection = request.getConnectionMetaData();
    HttpFields headers = request.getHeaders();
    if (connection.getHttpVersion() != HttpVersion.HTTP_1_1 || !connection.isPersistent()
        || headers.contains(HttpHeader.UPGRADE) || headers.contains(HttpHeader.CONNECTION, "close")) {
      return null;
    }
    HotConnections hot = HotConnections.of(connection.getConnector());
    if (hot == null) {
      return null;
    }
    HotConnection next = hot.newConnection(connection.getConnector(), connection.getConnection().getEndPoint());
    request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, next); // Jetty's HTTP/1.1 connection honours it
    return next;
  }

  /** One request on Jetty's connection, answered once. */
  private final class CoreExchange implements Exchange {

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final HotConnection next;
    private boolean answered;
    private HangUpWatch watch;

    CoreExchange(Request request, Response response, Callback callback, HotConnection next) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.next = next;
    }

    private EndPoint endPoint() {
      return request.getConnectionMetaData().getConnection().getEndPoint();
    }

    @Override
    public void waiting(Cancellable onHangUp) {
      synchronized (this) {
        if (answered) {
          return;
        }
        watch = HangUpWatch.start(endPoint(), () -> {
          onHangUp.cancel();
          abandon();
        }, next, budget);
      }
      request.addFailureListener(failure -> {
        onHangUp.cancel();
        abandon();
      });
    }

    /** The client went away before the answer: end the request without one. */
    private void abandon() {
      synchronized (this) {
        if (answered) {
          return;
        }
        answered = true;
      }
      metrics.hangUp();
      callback.failed(new EofException("the client went away"));
    }

    @Override
    public void answer(Answer answer) {
      HangUpWatch watching;
      synchronized (this) {
        if (answered) {
          return;
        }
        answered = true;
        watching = watch;
      }
      if (watching != null) {
        watching.stop();
      }
      write(answer);
    }

    private void write(Answer given) {
      Answer answer = given;
      byte[] body = answer.bytes();
      int charged = body.length;
      if (!budget.tryBorrow(charged)) {
        // Answers on their way out use all the memory in flight (slow readers): come back shortly.
        answer = Answer.error(ApiException.retrySpread("memory_full", "the relay has no memory for this "
            + body.length + "-byte answer now; ask again shortly (nothing is lost)", 1, 3), null);
        body = answer.bytes();
        charged = 0; // a few hundred bytes, let through uncharged
      }
      response.setStatus(answer.status());
      HttpFields.Mutable headers = response.getHeaders();
      answer.forEachHeader(headers::put);
      headers.add(HttpHeader.CONTENT_LENGTH, body.length); // a fresh response: add, no search for an old one
      long borrowed = charged;
      response.write(true, ByteBuffer.wrap(body), Callback.from(callback.getInvocationType(), () -> {
        budget.giveBack(borrowed);
        callback.succeeded();
      }, failure -> {
        budget.giveBack(borrowed);
        callback.failed(failure);
      }));
    }

    @Override
    public Stream stream(String contentType) {
      synchronized (this) {
        if (answered) {
          throw new IllegalStateException("answered already");
        }
        answered = true;
      }
      response.setStatus(200);
      HttpFields.Mutable headers = response.getHeaders();
      for (HttpField header : COMMON_HEADERS) {
        headers.add(header);
      }
      headers.add(NO_STORE);
      headers.add(NO_PROXY_BUFFERING);
      headers.put(HttpHeader.CONTENT_TYPE, contentType);
      JettyStream stream = new JettyStream(response, callback, budget, metrics::hangUp);
      stream.watch(HangUpWatch.start(endPoint(), stream::clientLeft, null, budget));
      request.addFailureListener(stream::failed);
      return stream;
    }
  }
}
