package dev.addressable.relay.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written RESP2 client for tests: one blocking connection, one command at a time, so a test
 * can look at Redis (or at a proxy in front of it) without Lettuce's reconnects and queues in the
 * way. Every read is bounded by the timeout given at {@link #open}: a hung server or a blackholed
 * link shows as an {@link UncheckedIOException} caused by a {@link java.net.SocketTimeoutException},
 * and the connection stays open, so a test may {@link #read} the late answer afterwards.
 *
 * <p>Answers are text: a status or bulk string as is, an integer in decimal, a nil as {@code null},
 * an array as its elements one per line (nested arrays flattened, nil elements as empty lines). An
 * error answer is thrown as {@link ErrorReply}. Not thread-safe.
 */
public final class RespClient implements AutoCloseable {

  /** Reply timeout of the one-shot {@link RedisServer#command} calls. */
  public static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RespClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** An error answer from Redis, e.g. {@code OOM command not allowed…} or {@code LOADING …}. */
  public static final class ErrorReply extends RuntimeException {
    public ErrorReply(String message) {
      super(message);
    }
  }

  /** Connects to {@code 127.0.0.1:port}; connecting and each later read wait at most {@code timeout}. */
  public static RespClient open(int port, Duration timeout) {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      return new RespClient(socket);
    } catch (IOException e) {
      close(socket);
      throw new UncheckedIOException("could not connect to 127.0.0.1:" + port, e);
    }
  }

  /** One command on a connection of its own, e.g. {@code call(port, TIMEOUT, "CONFIG", "GET", "maxmemory")}. */
  public static String call(int port, Duration timeout, String... args) {
    try (RespClient client = open(port, timeout)) {
      return client.command(args);
    }
  }

  /** Sends {@code args} as one command and reads its answer. */
  public String command(String... args) {
    send(args);
    return read();
  }

  /** Sends {@code args} as one command without reading anything. */
  public void send(String... args) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    ascii(frame, "*" + args.length + "\r\n");
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      ascii(frame, "$" + bytes.length + "\r\n");
      frame.writeBytes(bytes);
      ascii(frame, "\r\n");
    }
    try {
      out.write(frame.toByteArray());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("could not send " + args[0], e);
    }
  }

  /** Reads the next answer: a command's, or a message pushed to a subscriber. */
  public String read() {
    try {
      Object reply = reply();
      if (reply instanceof ErrorReply error) {
        throw error;
      }
      return text(reply);
    } catch (IOException e) {
      throw new UncheckedIOException("no answer from 127.0.0.1:" + socket.getPort(), e);
    }
  }

  /** Changes how long later reads wait, e.g. to see a held answer time out quickly. */
  public void timeout(Duration timeout) {
    try {
      socket.setSoTimeout((int) timeout.toMillis());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The socket, e.g. to see that a blackholed connection is still open. */
  public Socket socket() {
    return socket;
  }

  @Override
  public void close() {
    close(socket);
  }

  private Object reply() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("the server closed the connection");
    }
    String line = line();
    switch (type) {
      case '+':
      case ':':
        return line;
      case '-':
        return new ErrorReply(line);
      case '$': {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] data = in.readNBytes(length + 2);
        if (data.length < length + 2) {
          throw new EOFException("the server closed the connection inside a bulk string");
        }
        return new String(data, 0, length, StandardCharsets.UTF_8);
      }
      case '*': {
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(reply());
        }
        return items;
      }
      default:
        throw new IOException("not RESP2: type byte " + type + " then " + line);
    }
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new EOFException("the server closed the connection inside an answer");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private static String text(Object reply) {
    if (reply instanceof List<?> items) {
      List<String> lines = new ArrayList<>();
      for (Object item : items) {
        lines.add(item == null ? "" : item instanceof ErrorReply e ? "-" + e.getMessage() : text(item));
      }
      return String.join("\n", lines);
    }
    return (String) reply;
  }

  private static void ascii(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
