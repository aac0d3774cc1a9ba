package dev.addressable.relay.http;

import dev.addressable.relay.metrics.Metrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
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
    if (!HttpMethod.GET.is(request.getMethod())) {
      return super.handle(request, response, callback);
    }
    String path = Request.getPathInContext(request);
    boolean isPoll = path.equals("/poll") || path.equals("/poll/");
    String[] address = isPoll ? null : addressParts(path);
    if (!isPoll && address == null) {
      return super.handle(request, response, callback);
    }
    String callbackName = null;
    try {
      String query = request.getHttpURI().getQuery();
      Requests.checkUrl(request.getHttpURI().getPath(), query, maxUrlLength);
      Fields fields = Fields.ofQuery(query);
      callbackName = Jsonp.callback(fields.get("callback"));
      CompletableFuture<Answer> answer = isPoll
          ? poll.handle(fields, request.getHeaders().get(HttpHeader.AUTHORIZATION), callbackName)
          : send.get(send.target(address[0], address[1], address[2]), fields, callbackName);
      String jsonp = callbackName;
      answer.whenComplete((done, failure) -> // at once if already complete
          write(response, callback, failure == null ? done : failed(failure, jsonp)));
    } catch (Exception e) {
      write(response, callback, failed(e, callbackName));
    }
    return true;
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
    String kind = path.substring(1, 2);
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
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    ApiException api = cause instanceof Exception e
        ? HttpServer.toApiException(e)
        : new ApiException(500, "internal_error", ErrorCodes.message(500));
    metrics.error();
    return Answer.error(api, callbackName);
  }

  /** Answers being written now; a stopping server waits for them (writes do not hold a thread). */
  int writing() {
    return writing.get();
  }

  private void write(Response response, Callback callback, Answer answer) {
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
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
