package dev.addressable.relay.http.jetty;

import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ErrorCodes;
import dev.addressable.relay.text.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty raises before a request reaches the relay's routes (a URL or headers
 * past the limit, a malformed request line) in the protocol's JSON error form, never as an HTML
 * page and never with a stack trace.
 */
public final class JsonErrorHandler extends ErrorHandler {

  private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, Answer.JSON_TYPE);

  @Override
  protected void generateResponse(Request request, Response response, int status, String message,
      Throwable cause, Callback callback) {
    if (status >= 500 && request.getConnectionMetaData().getConnector().getServer().isStopping()) {
      status = 503; // requests cut by a shutdown: come back soon, not "a bug"
      response.setStatus(503);
      response.getHeaders().put("Retry-After", "1");
    }
    response.getHeaders().put(JSON);
    for (Map.Entry<String, String> header : Answer.COMMON_HEADERS) {
      response.getHeaders().put(header.getKey(), header.getValue());
    }
    response.write(true, body(status), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(JSON);
    return body(status);
  }

  private static ByteBuffer body(int status) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", ErrorCodes.code(status));
    body.put("message", ErrorCodes.message(status));
    return ByteBuffer.wrap(Json.write(body).getBytes(StandardCharsets.UTF_8));
  }
}
