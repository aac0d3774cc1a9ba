package dev.addressable.bench.hostile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.addressable.bench.load.EventLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Slow readers: {@code --readers} streaming receivers (default 10; the relay's SSE
 * {@code /events}, nchan's EventSource {@code /sse/{id}}), each on a channel of its own, with a
 * 4 KiB receive buffer, that open their stream and never read from it, while
 * {@code --reader-rate} messages a second (default 500) of {@code --reader-bytes} (default 16,384)
 * are sent to them in turn: 800 KB/s per reader, so within a few seconds each reader's kernel
 * socket buffers (the server's send buffer grows to 4 MiB on this machine) are full and the
 * server itself must hold what follows. A server that buffers without bound for a stuck reader
 * grows; one that holds up caps what it queues per reader or drops the reader. The defaults keep
 * the whole volume (8 MB/s) under nchan's 256 MiB message store for a 20 s phase. At the end the attack reads the
 * kernel's socket table: how many readers are still connected, how many the server closed, and
 * how many bytes sit in socket buffers on either side.
 */
final class SlowReaders implements Attack {

  private final Site site;
  private final EventLoop loop;
  private final Sources sources;
  private final int count;
  private final int rate;
  private final int messageBytes;
  private final Tally tally = new Tally();
  private final List<Socket> readers = new ArrayList<>();
  private List<Site.Channel> channels;
  private Publisher publisher;
  private String endState = "";

  SlowReaders(Site site, EventLoop loop, Sources sources, Settings s) {
    this.site = site;
    this.loop = loop;
    this.sources = sources;
    this.count = s.count("readers", 10, 10_000);
    this.rate = s.count("reader-rate", 500, 10_000);
    this.messageBytes = s.count("reader-bytes", 16_384, 1_000_000);
  }

  @Override
  public String name() {
    return "slow-readers";
  }

  @Override
  public void prepare() throws Exception {
    channels = site.channels(count, "reader");
  }

  @Override
  public void start() {
    for (Site.Channel c : channels) {
      Socket s = new Socket();
      try {
        s.setReceiveBufferSize(4096);
        s.bind(new InetSocketAddress(sources.next(), 0));
        s.connect(site.server, 5000);
        s.getOutputStream().write(site.stream(c));
        readers.add(s);
        tally.add("readers opened");
      } catch (IOException e) {
        tally.add("connect failed (" + Failures.kind(e) + ")");
        closeQuietly(s);
      }
    }
    byte[] body = new byte[messageBytes];
    Arrays.fill(body, (byte) 'r');
    publisher = new Publisher(loop, site, sources, channels, 8, rate, body, 10_000, tally);
    publisher.start();
  }

  @Override
  public String progress() {
    return readers.size() + " readers not reading; sends " + tally.get("accepted") + " accepted, " + tally.get("refused")
        + " refused, " + tally.get("failed") + " failed";
  }

  @Override
  public void stop() throws InterruptedException {
    publisher.stop();
    TcpTable tcp = TcpTable.read();
    long established = 0;
    long closedByServer = 0;
    long received = 0;
    long serverQueued = 0;
    for (Socket s : readers) {
      String local = TcpTable.hex(s.getLocalAddress());
      int port = s.getLocalPort();
      for (TcpTable.Row r : tcp.rows()) {
        if (r.localPort() == port && r.localAddress().endsWith(local) && r.remotePort() == site.server.getPort()) {
          established += r.state() == TcpTable.ESTABLISHED ? 1 : 0;
          closedByServer += r.state() == TcpTable.CLOSE_WAIT ? 1 : 0;
          received += r.rxQueue();
        } else if (r.remotePort() == port && r.remoteAddress().endsWith(local) && r.localPort() == site.server.getPort()) {
          serverQueued += r.txQueue();
        }
      }
    }
    tally.add("readers connected at end", established);
    tally.add("readers closed by server", closedByServer);
    tally.add("readers gone (reset)", readers.size() - established - closedByServer);
    tally.add("bytes waiting in readers' buffers", received);
    tally.add("bytes queued in server's socket buffers", serverQueued);
    endState = "at end " + established + " still connected, " + closedByServer + " closed by the server, "
        + (readers.size() - established - closedByServer) + " reset; kernel buffers hold "
        + (received + serverQueued) / 1024 + " KiB";
    for (Socket s : readers) {
      try {
        s.setSoLinger(true, 0);
      } catch (IOException ignored) {
        // closing anyway
      }
      closeQuietly(s);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing more to do with it
    }
  }

  @Override
  public void writeTo(ObjectNode figures) {
    tally.writeTo(figures);
    figures.put("summary", Summaries.sends(readers.size() + " readers that never read, " + rate + "/s × "
        + messageBytes / 1024 + " KiB to them", tally) + "; " + endState);
  }
}
