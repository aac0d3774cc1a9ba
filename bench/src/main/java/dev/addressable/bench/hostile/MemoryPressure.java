package dev.addressable.bench.hostile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.addressable.bench.load.EventLoop;
import java.util.Arrays;
import java.util.List;

/**
 * Memory pressure: {@code --memory-connections} connections (default 16) POST messages of
 * {@code --message-bytes} (default 65,536, text/plain) to {@code --memory-channels} channels
 * (default 400) in turn, as fast as the server answers, and nobody reads them. With the relay's
 * default inbox (1 MiB per channel) that is 400 MiB of messages to hold; nchan's shared memory is
 * capped by {@code nchan_max_reserved_memory}. A server that holds up refuses sends with a clear
 * error once its budget is used, and keeps answering health checks and polls.
 */
final class MemoryPressure implements Attack {

  private final Site site;
  private final EventLoop loop;
  private final Sources sources;
  private final int connections;
  private final int channelCount;
  private final int messageBytes;
  private final long timeoutMillis;
  private final Tally tally = new Tally();
  private List<Site.Channel> channels;
  private Publisher publisher;

  MemoryPressure(Site site, EventLoop loop, Sources sources, Settings s) {
    this.site = site;
    this.loop = loop;
    this.sources = sources;
    this.connections = s.count("memory-connections", 16, 1000);
    this.channelCount = s.count("memory-channels", 400, 10_000);
    this.messageBytes = s.count("message-bytes", 65_536, 10_000_000);
    this.timeoutMillis = s.number("request-timeout-ms", 10_000, 100, 120_000);
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public void prepare() throws Exception {
    channels = site.channels(channelCount, "mem");
  }

  @Override
  public void start() {
    byte[] body = new byte[messageBytes];
    Arrays.fill(body, (byte) 'm');
    publisher = new Publisher(loop, site, sources, channels, connections, 0, body, timeoutMillis, tally);
    publisher.start();
  }

  @Override
  public String progress() {
    return tally.get("accepted") + " accepted, " + tally.get("refused") + " refused, " + tally.get("failed") + " failed";
  }

  @Override
  public void stop() throws InterruptedException {
    publisher.stop();
  }

  @Override
  public void writeTo(ObjectNode figures) {
    tally.writeTo(figures);
    figures.put("summary", Summaries.sends(messageBytes / 1024 + " KiB POSTs to " + channelCount + " channels over "
        + connections + " connections", tally));
  }
}
