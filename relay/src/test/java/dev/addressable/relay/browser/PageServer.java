package dev.addressable.relay.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Serves the test pages under {@code src/test/resources/browser/} on one port of 127.0.0.1, so
 * they run on an origin of their own: not the relay's, and not the other PageServer's. In HTML,
 * {@code {{relay}}} is replaced by the relay's current base URL (read on every request, so a
 * restarted relay is picked up). Responses say {@code Cache-Control: no-cache}: a page is fetched
 * again on every load, yet may enter the back/forward cache (Chromium keeps {@code no-store} pages out).
 */
final class PageServer implements AutoCloseable {

  private static final Pattern NAME = Pattern.compile("[a-z0-9-]+\\.(html|js)");

  private final HttpServer server;
  private final Supplier<String> relayBase;

  PageServer(Supplier<String> relayBase) {
    this.relayBase = relayBase;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::serve);
    server.start();
  }

  /** This server's origin, e.g. {@code http://127.0.0.1:41234}. */
  String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Full URL of a page, e.g. {@code url("receiver.html?transports=sse")}. */
  String url(String pageAndQuery) {
    return origin() + "/" + pageAndQuery;
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String name = exchange.getRequestURI().getPath().substring(1);
      byte[] body = NAME.matcher(name).matches() ? read(name) : null;
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (name.endsWith(".html")) {
        body = new String(body, StandardCharsets.UTF_8).replace("{{relay}}", relayBase.get())
            .getBytes(StandardCharsets.UTF_8);
      }
      exchange.getResponseHeaders().set("Content-Type",
          (name.endsWith(".html") ? "text/html" : "text/javascript") + "; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private static byte[] read(String name) throws IOException {
    try (InputStream in = PageServer.class.getResourceAsStream("/browser/" + name)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
