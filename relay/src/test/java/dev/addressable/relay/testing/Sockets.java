package dev.addressable.relay.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Raw loopback sockets as hostile or unlucky clients use them, and the kernel's view of them. */
public final class Sockets {

  /** {@code /proc/net/tcp}'s code for CLOSE_WAIT: the peer closed, this side has not. */
  private static final String CLOSE_WAIT = "08";

  private Sockets() {}

  /** A socket to the relay on {@code port}, from loopback address {@code 127.0.0.last}. */
  public static Socket open(int port, int last) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last}), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  public static Socket open(int port) throws IOException {
    return open(port, 1);
  }

  /**
   * A loopback port nobody listened on a moment ago, for a server in another process that must be
   * told its port up front (and keep it over a restart). Another process may take it meanwhile:
   * a harness that gets a bind failure tries again with a new one.
   */
  public static int freePort() {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  public static void write(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Whether nothing listens on loopback {@code port}: a connect is refused (a dead server, a freed port). */
  public static boolean refuses(int port) {
    try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Closes with a reset (SO_LINGER 0) rather than a FIN, as a crashed client or a middlebox does. */
  public static void reset(Socket socket) throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /** The status code of the answer that starts on {@code socket}, or -1 if it closed first. */
  public static int status(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] line = new byte[12];
    int n = in.readNBytes(line, 0, line.length);
    return n < 12 ? -1 : Integer.parseInt(new String(line, 9, 3, StandardCharsets.US_ASCII));
  }

  /** Sockets on local port {@code port} in CLOSE_WAIT: connections whose client left and the relay did not close. */
  public static int closeWait(int port) throws IOException {
    int count = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(table);
      if (!Files.exists(path)) {
        continue;
      }
      for (String line : Files.readAllLines(path)) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 3 && fields[1].contains(":") && fields[3].equals(CLOSE_WAIT)) {
          String local = fields[1];
          if (Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16) == port) {
            count++;
          }
        }
      }
    }
    return count;
  }
}
