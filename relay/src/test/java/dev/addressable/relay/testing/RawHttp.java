package dev.addressable.relay.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes as they are, for requests a well-behaved client refuses to make (bad encodings,
 * broken request lines, oversized headers), and reads the whole answer.
 */
public final class RawHttp {

  private RawHttp() {}

  /** The status code and the raw answer text. */
  public record Raw(int status, String text) {
    public String body() {
      int split = text.indexOf("\r\n\r\n");
      return split < 0 ? "" : text.substring(split + 4);
    }
  }

  /** Reads one answer with a Content-Length body from a kept-open connection. */
  public static Raw readOne(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before the answer's headers ended");
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String headers = head.toString(StandardCharsets.ISO_8859_1);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(headers);
    if (!m.find()) {
      throw new IOException("no Content-Length in " + headers);
    }
    byte[] body = in.readNBytes(Integer.parseInt(m.group(1)));
    return new Raw(Integer.parseInt(headers.substring(9, 12)), headers + new String(body, StandardCharsets.UTF_8));
  }

  public static Raw exchange(int port, String request) throws IOException {
    return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  public static Raw exchange(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) > 0; ) {
          answer.write(buffer, 0, n);
        }
      } catch (IOException reset) {
        // The server may close hard after a bad request; keep what arrived.
      }
      String text = answer.toString(StandardCharsets.UTF_8);
      int status = text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
      return new Raw(status, text);
    }
  }
}
