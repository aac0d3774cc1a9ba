package dev.addressable.bench.hostile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.addressable.bench.system.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The server under attack seen from outside, through /proc: whether it still runs, its resident
 * memory (RSS, which counts memory its processes share once per process, as nginx's shared
 * memory zone is; and PSS, which splits it), open file descriptors and CPU (summed over the
 * process and its direct children, so nginx's workers count), and its sockets in CLOSE_WAIT on
 * its port (peers that hung up and that the server has not closed yet).
 */
final class ServerWatch {

  /** What the server looked like at one moment. */
  record Snapshot(boolean alive, long rssKib, long pssKib, long fds, long closeWait, long established, long cpuNanos) {

    void writeTo(ObjectNode node) {
      node.put("alive", alive).put("rss_kib", rssKib).put("pss_kib", pssKib).put("fds", fds)
          .put("close_wait", closeWait).put("established", established);
    }
  }

  private final long pid;
  private final int port;
  private final ServerProcess process;

  ServerWatch(long pid, int port) {
    this.pid = pid;
    this.port = port;
    this.process = new ServerProcess(pid);
  }

  boolean alive() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  Snapshot snapshot() {
    if (!alive()) {
      return new Snapshot(false, 0, 0, 0, 0, 0, 0);
    }
    TcpTable tcp = TcpTable.read();
    try {
      return new Snapshot(true, process.rssKib(), process.pssKib(), fds(), tcp.serverSide(port, TcpTable.CLOSE_WAIT),
          tcp.serverSide(port, TcpTable.ESTABLISHED), process.cpuNanos());
    } catch (IOException e) {
      return new Snapshot(alive(), 0, 0, 0, 0, 0, 0);
    }
  }

  long rssKib() {
    try {
      return process.rssKib();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Open descriptors of the process and its children; needs the same user as the server (or root). */
  private long fds() throws IOException {
    long sum = 0;
    for (long p : process.pids()) {
      try (Stream<Path> fd = Files.list(Path.of("/proc", Long.toString(p), "fd"))) {
        sum += fd.count();
      } catch (IOException e) {
        // gone, or not ours to read
      }
    }
    return sum;
  }
}
