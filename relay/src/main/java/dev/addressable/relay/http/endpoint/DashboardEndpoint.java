package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.secret.AdminToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /dashboard}: the live relay dashboard, one HTML page from the jar whose script
 * ({@code /dashboard.js}) reads {@code /metrics}. With {@code --admin-token}, a request without
 * the token gets the same page locked ({@code data-access="locked"}) with a 401 and a Bearer
 * challenge: a browser cannot put a header on a page it navigates to, so the page asks for the
 * token and its script sends it with each read of {@code /metrics}. The page holds no data in
 * either form. Never cached; its Content-Security-Policy lets it load only the relay's own files.
 */
public final class DashboardEndpoint {

  private static final String HTML = "text/html; charset=utf-8";
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final String OPEN = "data-access=\"open\"";

  private final AdminGate gate;
  private final byte[] open;
  private final byte[] locked;

  public DashboardEndpoint(AdminToken token) {
    this.gate = new AdminGate(token);
    String page = read("/public/dashboard.html");
    if (!page.contains(OPEN)) {
      throw new IllegalStateException("public/dashboard.html lost its " + OPEN + " marker");
    }
    this.open = page.getBytes(StandardCharsets.UTF_8);
    this.locked = page.replace(OPEN, "data-access=\"locked\"").getBytes(StandardCharsets.UTF_8);
  }

  /** The page for a request with this {@code Authorization} header (or {@code null}). */
  public Answer page(String authorization) {
    if (gate.admits(authorization)) {
      return Answer.of(200, HTML, open).with("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    }
    return Answer.of(401, HTML, locked).with("WWW-Authenticate", AdminGate.challenge(authorization),
        "Content-Security-Policy", CONTENT_SECURITY_POLICY);
  }

  private static String read(String resource) {
    try (InputStream in = DashboardEndpoint.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the relay was built without " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
