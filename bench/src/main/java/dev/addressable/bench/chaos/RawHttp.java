package dev.addressable.bench.chaos;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * HTTP/1.0 over a blocking socket, one request per connection: the chaos run wants every request
 * to fail on its own when a relay dies (no pool to hand it a dead connection, no client retrying
 * behind its back), and a stream it can read line by line with a read timeout. HTTP/1.0 answers
 * have no chunked framing: the body runs to its Content-Length or to the end of the connection.
 * Loopback only.
 */
final class RawHttp {

  static final int CONNECT_TIMEOUT_MS = 2000;

  /** A whole answer. */
  record Answer(int status, Map<String, String> headers, String body) {

    /** Retry-After in seconds, or -1. */
    int retryAfter() {
      try {
        return Integer.parseInt(headers.getOrDefault("retry-after", "-1").trim());
      } catch (NumberFormatException e) {
        return -1;
      }
    }
  }

  /** An answer whose body is still arriving: read it line by line; close it to end it. */
  static final class Stream implements AutoCloseable {
    final int status;
    final Map<String, String> headers;
    private final Socket socket;
    final BufferedReader lines;

    private Stream(Socket socket, int status, Map<String, String> headers, BufferedReader lines) {
      this.socket = socket;
      this.status = status;
      this.headers = headers;
      this.lines = lines;
    }

    /** The rest of the body, for an answer that is not a stream (an error). */
    String rest() throws IOException {
      StringBuilder out = new StringBuilder();
      for (String line; (line = lines.readLine()) != null; ) {
        out.append(line);
      }
      return out.toString();
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private RawHttp() {}

  static Answer get(InetSocketAddress server, String target, Map<String, String> headers, int timeoutMs)
      throws IOException {
    return exchange(server, "GET", target, headers, null, timeoutMs);
  }

  static Answer postForm(InetSocketAddress server, String target, String form, int timeoutMs) throws IOException {
    return exchange(server, "POST", target, Map.of("Content-Type", "application/x-www-form-urlencoded"), form, timeoutMs);
  }

  /** Opens a GET whose answer is read as it arrives; every read waits at most {@code readTimeoutMs}. */
  static Stream open(InetSocketAddress server, String target, Map<String, String> headers, int readTimeoutMs)
      throws IOException {
    Socket socket = connect(server, readTimeoutMs);
    try {
      write(socket, server, "GET", target, headers, null);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      Map<String, String> head = new HashMap<>();
      int status = readHead(in, head);
      return new Stream(socket, status, head, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static Answer exchange(InetSocketAddress server, String method, String target, Map<String, String> headers,
      String body, int timeoutMs) throws IOException {
    try (Socket socket = connect(server, timeoutMs)) {
      write(socket, server, method, target, headers, body);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      Map<String, String> head = new HashMap<>();
      int status = readHead(in, head);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long length = head.containsKey("content-length") ? Long.parseLong(head.get("content-length").trim()) : -1;
      byte[] buf = new byte[8192];
      for (int n; (length < 0 || out.size() < length) && (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
      }
      return new Answer(status, head, out.toString(StandardCharsets.UTF_8));
    }
  }

  private static Socket connect(InetSocketAddress server, int readTimeoutMs) throws IOException {
    if (!server.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("the chaos run only talks to loopback: " + server);
    }
    Socket socket = new Socket();
    try {
      socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
      socket.connect(server, CONNECT_TIMEOUT_MS);
      socket.setSoTimeout(readTimeoutMs);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static void write(Socket socket, InetSocketAddress server, String method, String target,
      Map<String, String> headers, String body) throws IOException {
    StringBuilder req = new StringBuilder(256).append(method).append(' ').append(target).append(" HTTP/1.0\r\nHost: ")
        .append(server.getAddress().getHostAddress()).append(':').append(server.getPort()).append("\r\n");
    headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      req.append("Content-Length: ").append(bytes.length).append("\r\n");
    }
    req.append("\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(req.toString().getBytes(StandardCharsets.UTF_8));
    out.write(bytes);
    out.flush();
  }

  /** Reads the status line and headers (names in lower case); returns the status. */
  private static int readHead(InputStream in, Map<String, String> headers) throws IOException {
    String status = line(in);
    if (status == null || !status.startsWith("HTTP/")) {
      throw new IOException("not an HTTP answer: " + status);
    }
    for (String line; (line = line(in)) != null && !line.isEmpty(); ) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), line.substring(colon + 1).trim());
      }
    }
    String[] parts = status.split(" ", 3);
    return Integer.parseInt(parts[1]);
  }

  /** One CRLF-ended head line, without reading past it; null at the end of the stream. */
  private static String line(InputStream in) throws IOException {
    StringBuilder out = new StringBuilder();
    for (int c; (c = in.read()) >= 0; ) {
      if (c == '\n') {
        int last = out.length() - 1;
        return last >= 0 && out.charAt(last) == '\r' ? out.substring(0, last) : out.toString();
      }
      out.append((char) c);
    }
    return out.length() == 0 ? null : out.toString();
  }
}
