package dev.addressable.bench.hostile;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kernel's TCP socket table as {@code /proc/net/tcp} and {@code /proc/net/tcp6} show it (for
 * this process's network namespace): enough to count a server's sockets by state on its port, and
 * to see what became of the load generator's own sockets.
 */
final class TcpTable {

  /** Kernel state numbers (include/net/tcp_states.h). */
  static final int ESTABLISHED = 0x01;
  static final int CLOSE_WAIT = 0x08;

  /**
   * One socket. Ports are numbers; addresses stay in the kernel's hex form (they are only compared).
   *
   * @param txQueue bytes written by its owner and not yet acknowledged by the peer
   * @param rxQueue bytes received and not yet read by its owner
   */
  record Row(String localAddress, int localPort, String remoteAddress, int remotePort, int state, long txQueue,
      long rxQueue) {}

  private final List<Row> rows;

  TcpTable(List<Row> rows) {
    this.rows = List.copyOf(rows);
  }

  /** The table as it is now, IPv4 and IPv6 together; empty where /proc cannot be read. */
  static TcpTable read() {
    List<Row> all = new ArrayList<>();
    for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      try {
        all.addAll(parse(Files.readString(Path.of(file))));
      } catch (IOException e) {
        // no such table here: count nothing from it
      }
    }
    return new TcpTable(all);
  }

  /** Parses the text of one table file; the header line and malformed lines are skipped. */
  static List<Row> parse(String text) {
    List<Row> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      // sl local_address rem_address st tx_queue:rx_queue ...
      if (f.length < 5 || !f[0].endsWith(":") || f[0].equals("sl")) {
        continue;
      }
      try {
        String[] local = f[1].split(":");
        String[] remote = f[2].split(":");
        String[] queues = f[4].split(":");
        out.add(new Row(local[0].toUpperCase(Locale.ROOT), Integer.parseInt(local[1], 16),
            remote[0].toUpperCase(Locale.ROOT), Integer.parseInt(remote[1], 16), Integer.parseInt(f[3], 16),
            Long.parseLong(queues[0], 16), Long.parseLong(queues[1], 16)));
      } catch (RuntimeException e) {
        // not a socket line
      }
    }
    return out;
  }

  /**
   * An IPv4 address as the table writes it (the four bytes reversed, in hex): an IPv6 table row
   * of the same address (IPv4-mapped) ends with it.
   */
  static String hex(InetAddress address) {
    byte[] b = address.getAddress();
    int n = b.length;
    return String.format("%02X%02X%02X%02X", b[n - 1], b[n - 2], b[n - 3], b[n - 4]);
  }

  List<Row> rows() {
    return rows;
  }

  /** Sockets bound to local port {@code port} (the server's side of its connections) in {@code state}. */
  long serverSide(int port, int state) {
    return rows.stream().filter(r -> r.localPort() == port && r.state() == state).count();
  }
}
