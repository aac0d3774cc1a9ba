package dev.addressable.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP/1.1 answer as the load generator saw it.
 *
 * @param headers names in lower case; a repeated header keeps its last value
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {

  public String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Whether the server will close the connection after this answer. */
  public boolean closes() {
    String connection = headers.get("connection");
    return connection != null && connection.equalsIgnoreCase("close");
  }
}
