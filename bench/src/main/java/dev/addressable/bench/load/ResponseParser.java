package dev.addressable.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Incremental parser of HTTP/1.1 answers on one connection: bytes go in as they arrive, whole
 * answers come out. Knows Content-Length and chunked bodies, and answers without a body (1xx, 204,
 * 304). Not thread-safe: one per connection, fed by its event loop.
 */
public final class ResponseParser {

  private static final int MAX_HEAD = 64 * 1024;

  private enum State { HEAD, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER }

  private State state = State.HEAD;
  private byte[] head = new byte[512];
  private int headLength;
  private int status;
  private Map<String, String> headers;
  private byte[] body;
  private int bodyFilled;
  private ByteArrayOutputStream chunks;
  private final StringBuilder line = new StringBuilder();
  private long chunkLeft;

  /**
   * Consumes everything in {@code in} and hands each completed answer to {@code sink}.
   *
   * @throws IOException when the bytes are not HTTP/1.1 answers
   */
  public void feed(ByteBuffer in, Consumer<HttpResponse> sink) throws IOException {
    while (in.hasRemaining()) {
      switch (state) {
        case HEAD -> readHead(in);
        case FIXED -> {
          int n = Math.min(in.remaining(), body.length - bodyFilled);
          in.get(body, bodyFilled, n);
          bodyFilled += n;
        }
        case CHUNK_SIZE, CHUNK_END, TRAILER -> readChunkLine(in);
        case CHUNK_DATA -> {
          int n = (int) Math.min(in.remaining(), chunkLeft);
          byte[] part = new byte[n];
          in.get(part);
          chunks.write(part, 0, n);
          chunkLeft -= n;
          if (chunkLeft == 0) {
            state = State.CHUNK_END;
          }
        }
      }
      if (state == State.FIXED && bodyFilled == body.length) {
        finish(sink, body);
      }
      if (state == null) {
        finish(sink, chunks.toByteArray());
      }
    }
  }

  private void readHead(ByteBuffer in) throws IOException {
    while (in.hasRemaining()) {
      byte b = in.get();
      if (headLength == head.length) {
        if (head.length >= MAX_HEAD) {
          throw new IOException("answer head longer than " + MAX_HEAD + " bytes");
        }
        head = java.util.Arrays.copyOf(head, head.length * 2);
      }
      head[headLength++] = b;
      if (b == '\n' && headLength >= 4 && head[headLength - 2] == '\r' && head[headLength - 3] == '\n'
          && head[headLength - 4] == '\r') {
        parseHead();
        return;
      }
    }
  }

  private void parseHead() throws IOException {
    String text = new String(head, 0, headLength - 4, StandardCharsets.ISO_8859_1);
    headLength = 0;
    String[] lines = text.split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x status line: " + lines[0]);
    }
    status = Integer.parseInt(statusLine[1]);
    headers = new HashMap<>(16);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    if (status < 200 || status == 204 || status == 304) {
      if (status < 200) { // an interim answer: the real one follows
        state = State.HEAD;
        return;
      }
      body = new byte[0];
      bodyFilled = 0;
      state = State.FIXED;
      return;
    }
    String encoding = headers.get("transfer-encoding");
    if (encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
      chunks = new ByteArrayOutputStream();
      line.setLength(0);
      state = State.CHUNK_SIZE;
      return;
    }
    String length = headers.get("content-length");
    body = new byte[length == null ? 0 : Integer.parseInt(length)];
    bodyFilled = 0;
    state = State.FIXED;
  }

  private void readChunkLine(ByteBuffer in) throws IOException {
    while (in.hasRemaining()) {
      char c = (char) in.get();
      if (c != '\n') {
        if (c != '\r') {
          line.append(c);
        }
        continue;
      }
      String text = line.toString();
      line.setLength(0);
      switch (state) {
        case CHUNK_SIZE -> {
          int semi = text.indexOf(';');
          try {
            chunkLeft = Long.parseLong((semi < 0 ? text : text.substring(0, semi)).trim(), 16);
          } catch (NumberFormatException e) {
            throw new IOException("bad chunk size: " + text);
          }
          state = chunkLeft == 0 ? State.TRAILER : State.CHUNK_DATA;
        }
        case CHUNK_END -> state = State.CHUNK_SIZE;
        case TRAILER -> {
          if (text.isEmpty()) {
            state = null; // done: feed() hands it out
          }
        }
        default -> throw new IllegalStateException(state.toString());
      }
      return;
    }
  }

  private void finish(Consumer<HttpResponse> sink, byte[] content) {
    HttpResponse response = new HttpResponse(status, headers, content);
    state = State.HEAD;
    body = null;
    chunks = null;
    headers = null;
    sink.accept(response);
  }
}
