package dev.addressable.bench.hostile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.addressable.bench.load.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Slow bodies: {@code --slow-bodies} connections (default 200) each send the head of a
 * {@code text/plain} POST to a send address with {@code Content-Length: --body-length} (default
 * 60,000), then the body at one byte per second. A server that gives each request body a thread
 * runs out of threads; one that reads bodies without blocking does not notice.
 */
final class SlowBodies implements Attack {

  private static final byte[] ONE_BYTE = "x".getBytes(StandardCharsets.US_ASCII);

  private final Site site;
  private final EventLoop loop;
  private final Sources sources;
  private final int count;
  private final int length;
  private final int channelCount;
  private final Tally tally = new Tally();
  private List<Site.Channel> channels;
  private Drip drip;
  private long openAtEnd;

  SlowBodies(Site site, EventLoop loop, Sources sources, Settings s) {
    this.site = site;
    this.loop = loop;
    this.sources = sources;
    this.count = s.count("slow-bodies", 200, 10_000);
    this.length = s.count("body-length", 60_000, 10_000_000);
    this.channelCount = s.count("slow-body-channels", 10, 1000);
  }

  @Override
  public String name() {
    return "slow-bodies";
  }

  @Override
  public void prepare() throws Exception {
    channels = site.channels(channelCount, "slowbody");
  }

  @Override
  public void start() {
    drip = new Drip(loop, site, sources, count, 1000, new Drip.Script() {
      @Override
      public byte[] opening(int index) {
        return site.postHead(channels.get(index % channels.size()), length);
      }

      @Override
      public byte[] piece(int index, long n) {
        return n < length ? ONE_BYTE : null;
      }
    }, tally);
    drip.start();
  }

  @Override
  public String progress() {
    return drip.open() + "/" + count + " slow bodies open";
  }

  @Override
  public void stop() throws InterruptedException {
    openAtEnd = drip.open();
    drip.stop();
  }

  @Override
  public void writeTo(ObjectNode figures) {
    tally.writeTo(figures);
    String what = count + " slow POST bodies (Content-Length " + length + ", 1 B/s)";
    figures.put("summary", Summaries.held(what, openAtEnd, tally));
  }
}
