package dev.addressable.relay.http;

import dev.addressable.relay.metrics.Metrics;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * The two requests a relay serves most — {@code GET /poll} and {@code GET} on an address — served
 * as Jetty core handlers, in front of Javalin. Every other request falls through to the Javalin
 * routes.
 *
 * <p>Why: on the servlet path each request costs a servlet request and response, a Javalin
 * context and, for a parked poll, an async context with its listeners, all kept alive while the
 * poll waits. Here a parked poll is the core request Jetty has anyway plus the relay's own
 * waiter, and its answer is one non-blocking write. The answers, checks and error forms are the
 * same ones the Javalin path uses ({@link Answer}, {@link Requests}, {@link Fields}).
 */
final class HotRoutes extends Handler.Wrapper {

  private static final HttpField[] COMMON_HEADERS = Answer.COMMON_HEADERS.stream()
      .map(header -> new PreEncodedHttpField(header.getKey(), header.getValue()))
      .toArray(HttpField[]::new);
  private static final HttpField JSON_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, Answer.JSON_TYPE);
  private static final HttpField SCRIPT_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, Jsonp.CONTENT_TYPE);

  private final PollEndpoint poll;
  private final SendEndpoint send;
  private final Metrics metrics;
  private final int maxUrlLength;
  private final AtomicInteger writing = new AtomicInteger();

  HotRoutes(PollEndpoint poll, SendEndpoint send, Metrics metrics, int maxUrlLength) {
    this.poll = poll;
    this.send = send;
    this.metrics = metrics;
    this.maxUrlLength = maxUrlLength;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    returnToHotConnection(request);
    if (!HttpMethod.GET.is(request.getMethod())) {
      return super.handle(request, response, callback);
    }
    String[] route = route(Request.getPathInContext(request));
    if (route == null) {
      return super.handle(request, response, callback);
    }
    answer(route, request.getHttpURI().getPath(), request.getHttpURI().getQuery(),
        request.getHeaders().get(HttpHeader.AUTHORIZATION), done -> write(response, callback, done));
    return true;
  }

  /**
   * Asks Jetty to give a kept-alive HTTP/1.1 connection back to a {@link HotConnection} once this
   * request is answered, so that a page's connection serves its polls on the fast path again after
   * a {@code POST /connect} (Jetty's upgrade hook, run when the answer is complete). WebSocket
   * handshakes and connections about to close stay as they are.
   */
  private static void returnToHotConnection(Request request) {
    ConnectionMetaData connection = request.getConnectionMetaData();
    HttpFields headers = request.getHeaders();
    if (connection.getHttpVersion() != HttpVersion.HTTP_1_1 || !connection.isPersistent()
        || headers.contains(HttpHeader.UPGRADE) || headers.contains(HttpHeader.CONNECTION, "close")) {
      return;
    }
    HotConnection.Factory hot = connection.getConnector().getConnectionFactory(HotConnection.Factory.class);
    if (hot != null) { // Jetty's HTTP/1.1 connection honours the attribute; nothing else reads it
      request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE,
          hot.newConnection(connection.getConnector(), connection.getConnection().getEndPoint()));
    }
  }

  /** {@link #route} of {@code GET /poll}. */
  static final String[] POLL = new String[0];

  /**
   * Which hot route a {@code GET} of {@code path} (decoded) is: {@link #POLL}, the
   * {@link #addressParts} of a send, or {@code null} if it is none of them. Decided before the
   * request is consumed, and handed to {@link #answer} so the path is split once.
   */
  static String[] route(String path) {
    return path.equals("/poll") || path.equals("/poll/") ? POLL : addressParts(path);
  }

  /**
   * Answers a {@code GET} of one of the hot routes: {@code then} gets the answer once, on this
   * thread if it is ready now, else on the thread that ends the poll's wait or the send's. Never
   * fails: a refused request gets the protocol's error answer.
   *
   * @param route what {@link #route} made of the path (not {@code null})
   * @param rawPath the path as sent (its length counts against the URL limit)
   * @param query the query string without {@code ?}, or {@code null}
   * @param authorization the {@code Authorization} header, or {@code null}
   */
  void answer(String[] route, String rawPath, String query, String authorization, Consumer<Answer> then) {
    Answer now;
    String callbackName = null;
    try {
      Requests.checkUrl(rawPath, query, maxUrlLength);
      Fields fields = Fields.ofQuery(query);
      callbackName = Jsonp.callback(fields.get("callback"));
      if (route == POLL) {
        now = poll.handle(fields, authorization, callbackName, then);
      } else {
        CompletableFuture<Answer> answer = send.get(send.target(route[0], route[1], route[2]), fields, callbackName);
        if (answer.isDone() && !answer.isCompletedExceptionally()) {
          now = answer.join();
        } else {
          String jsonp = callbackName;
          answer.whenComplete((done, failure) -> then.accept(failure == null ? done : failed(failure, jsonp)));
          now = null;
        }
      }
    } catch (Exception e) {
      now = failed(e, callbackName);
    }
    if (now != null) {
      then.accept(now);
    }
  }

  /**
   * {@code [kind, id, channel]} of {@code /m/{client}}, {@code /m/{client}/{channel}} or
   * {@code /t/{topic}} (a trailing slash allowed; {@code channel} may be {@code null}), else
   * {@code null}.
   */
  static String[] addressParts(String path) {
    if (path.length() < 4 || !path.startsWith("/m/") && !path.startsWith("/t/")) {
      return null;
    }
    String kind = path.charAt(1) == 'm' ? "m" : "t";
    String rest = path.substring(3, path.endsWith("/") ? path.length() - 1 : path.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return rest.isEmpty() ? null : new String[] {kind, rest, null};
    }
    if (!kind.equals("m") || slash == 0 || slash == rest.length() - 1 || rest.indexOf('/', slash + 1) >= 0) {
      return null;
    }
    return new String[] {kind, rest.substring(0, slash), rest.substring(slash + 1)};
  }

  private Answer failed(Throwable failure, String callbackName) {
    metrics.error();
    return Answer.failed(failure, callbackName);
  }

  /** Answers being written now; a stopping server waits for them (writes do not hold a thread). */
  int writing() {
    return writing.get();
  }

  /** Counts an answer a {@link HotConnection} starts to write. */
  void writeStarted() {
    writing.incrementAndGet();
  }

  /** Counts an answer a {@link HotConnection} finished (or failed) writing. */
  void writeEnded() {
    writing.decrementAndGet();
  }

  private void write(Response response, Callback callback, Answer answer) {
    byte[] body = answer.bytes();
    response.setStatus(answer.status());
    HttpFields.Mutable headers = response.getHeaders();
    for (HttpField header : COMMON_HEADERS) {
      headers.add(header);
    }
    if (answer.retryAfter() != null) {
      headers.add(HttpHeader.RETRY_AFTER, answer.retryAfter());
    }
    headers.add(switch (answer.contentType()) {
      case Answer.JSON_TYPE -> JSON_TYPE;
      case Jsonp.CONTENT_TYPE -> SCRIPT_TYPE;
      default -> new HttpField(HttpHeader.CONTENT_TYPE, answer.contentType());
    });
    headers.add(HttpHeader.CONTENT_LENGTH, body.length); // a fresh response: add, no search for an old one
    writing.incrementAndGet();
    response.write(true, ByteBuffer.wrap(body), Callback.from(Invocable.getInvocationType(callback), () -> {
      writing.decrementAndGet();
      callback.succeeded();
    }, failure -> {
      writing.decrementAndGet();
      callback.failed(failure);
    }));
  }
}
