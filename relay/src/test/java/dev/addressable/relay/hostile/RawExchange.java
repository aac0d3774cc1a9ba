package dev.addressable.relay.hostile;

import dev.addressable.relay.testing.RawHttp;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One raw request on a loopback socket of its own, and the one answer to it, read by its framing
 * ({@code Content-Length} through {@link RawHttp#readOne}, chunked, or up to the close) rather than
 * up to a close that may never come.
 *
 * <p>Every read waits at most {@value #TIMEOUT_MILLIS} ms, and the whole answer at most twice that:
 * a request the relay never answers fails with "no answer within 5 s" instead of hanging the
 * test. The request is written on a thread of its own, so a relay that answers before it has read
 * a large request (and stops reading) cannot block the test either.
 */
final class RawExchange {

  static final int TIMEOUT_MILLIS = 5_000;
  private static final int MAX_HEAD = 64 * 1024;
  private static final int MAX_BODY = 4 * 1024 * 1024;
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3})( [^\r\n]*)?\r\n[\\s\\S]*");

  private RawExchange() {}

  /**
   * Sends {@code request} as it is and reads the answer; 1xx interim answers are skipped.
   *
   * @param halfClose shut the socket's output once the request is written, as a client that sent
   *     all it had (a truncated body)
   * @return the answer: status and raw text (head, then the body decoded as UTF-8)
   * @throws AssertionError if no answer arrives within the time, or the connection closes first
   */
  static RawHttp.Raw send(int port, byte[] request, boolean halfClose) throws IOException {
    boolean head = startsWith(request, "HEAD ");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setTcpNoDelay(true);
      Thread writer = new Thread(() -> write(socket, request, halfClose), "hostile-writer");
      writer.setDaemon(true);
      writer.start();
      long deadline = System.nanoTime() + 2L * TIMEOUT_MILLIS * 1_000_000L;
      InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      while (true) {
        in.mark(MAX_HEAD + 1);
        String headText = readHead(socket, in, deadline);
        Matcher m = STATUS_LINE.matcher(headText);
        if (!m.matches()) {
          throw new AssertionError("not an HTTP/1.x answer: " + abbreviate(headText));
        }
        int status = Integer.parseInt(m.group(1));
        if (status >= 100 && status < 200 && status != 101) {
          continue; // 100 Continue and friends: the real answer follows
        }
        if (head || status == 101 || status == 204 || status == 304) {
          return new RawHttp.Raw(status, headText);
        }
        String type = header(headText, "Content-Type");
        String length = header(headText, "Content-Length");
        String coding = header(headText, "Transfer-Encoding");
        try {
          if (coding != null && coding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return new RawHttp.Raw(status, headText + readChunked(socket, in, deadline));
          }
          if (length != null) {
            in.reset(); // the head again, for the shared reader of Content-Length answers
            timeout(socket, deadline);
            return RawHttp.readOne(in);
          }
          if (type != null && type.startsWith("text/event-stream")) {
            return new RawHttp.Raw(status, headText); // an open stream: its head is the answer
          }
          return new RawHttp.Raw(status, headText + readToClose(socket, in, deadline));
        } catch (IOException cut) {
          return new RawHttp.Raw(status, headText); // the body was cut short; the status stands
        }
      }
    }
  }

  /** The first value of header {@code name} in {@code raw}'s head, or {@code null}. */
  static String header(RawHttp.Raw raw, String name) {
    int split = raw.text().indexOf("\r\n\r\n");
    return header(split < 0 ? raw.text() : raw.text().substring(0, split + 2), name);
  }

  private static String header(String head, String name) {
    Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":[ \t]*([^\r\n]*?)[ \t]*\r?$").matcher(head);
    return m.find() ? m.group(1) : null;
  }

  private static void write(Socket socket, byte[] request, boolean halfClose) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      if (halfClose) {
        socket.shutdownOutput();
      }
    } catch (IOException gone) {
      // The relay answered and closed before reading everything: its answer is what counts.
    }
  }

  /** Reads up to and including the blank line that ends a head. */
  private static String readHead(Socket socket, InputStream in, long deadline) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b;
      try {
        timeout(socket, deadline);
        b = in.read();
      } catch (SocketTimeoutException slow) {
        throw new AssertionError(head.size() == 0
            ? "no answer within " + TIMEOUT_MILLIS / 1000 + " s"
            : "an answer's head did not end within " + TIMEOUT_MILLIS / 1000 + " s: " + abbreviate(ascii(head)));
      } catch (IOException reset) {
        throw new AssertionError("the connection was reset before an answer (" + reset.getMessage() + ")"
            + (head.size() == 0 ? "" : ": " + abbreviate(ascii(head))));
      }
      if (b < 0) {
        throw new AssertionError(head.size() == 0
            ? "the relay closed the connection without an answer"
            : "the connection closed inside an answer's head: " + abbreviate(ascii(head)));
      }
      head.write(b);
      if (head.size() > MAX_HEAD) {
        throw new AssertionError("an answer's head past " + MAX_HEAD + " bytes");
      }
      matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
    }
    return ascii(head);
  }

  private static String readChunked(Socket socket, InputStream in, long deadline) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (body.size() <= MAX_BODY) {
      timeout(socket, deadline);
      String sizeLine = readLine(in);
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          timeout(socket, deadline); // trailers
        }
        break;
      }
      body.write(in.readNBytes(size));
      readLine(in);
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new IOException("closed inside a chunked body");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private static String readToClose(Socket socket, InputStream in, long deadline) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      timeout(socket, deadline);
      for (int n; body.size() <= MAX_BODY && (n = in.read(buffer)) > 0; ) {
        body.write(buffer, 0, n);
        timeout(socket, deadline);
      }
    } catch (IOException stopped) {
      // Timed out or reset after the head: keep what arrived.
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  /** Sets the socket's read timeout to what is left of {@value #TIMEOUT_MILLIS} ms and the deadline. */
  private static void timeout(Socket socket, long deadline) throws IOException {
    long left = (deadline - System.nanoTime()) / 1_000_000L;
    if (left <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    socket.setSoTimeout((int) Math.min(TIMEOUT_MILLIS, left));
  }

  private static boolean startsWith(byte[] bytes, String prefix) {
    if (bytes.length < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (bytes[i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static String ascii(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }

  static String abbreviate(String text) {
    String flat = text.replace("\r", "\\r").replace("\n", "\\n");
    return flat.length() <= 400 ? flat : flat.substring(0, 400) + "…";
  }
}
