package dev.addressable.bench.hostile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.addressable.bench.load.Conn;
import dev.addressable.bench.load.EventLoop;
import dev.addressable.bench.load.HttpResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ghost polls: {@code --ghost-rate} times a second (default 500) a new connection parks a long-poll
 * on one of {@code --ghost-channels} channels (default 100; on the relay from {@code POST /connect},
 * several per client) and, {@code --ghost-park-ms} after sending it (default 100), hangs up:
 * every other one with a plain close (FIN), the rest with a reset (SO_LINGER 0). A server that
 * never notices keeps each ghost as a parked request and an open descriptor (in CLOSE_WAIT after
 * a FIN) until its poll times out. At most {@link #MAX_IN_FLIGHT} ghosts are open at once.
 */
final class GhostPolls implements Attack {

  private static final int MAX_IN_FLIGHT = 5000;

  private final Site site;
  private final EventLoop loop;
  private final Sources sources;
  private final int rate;
  private final int channelCount;
  private final long parkMillis;
  private final Tally tally = new Tally();
  private List<Site.Channel> channels;
  private Every ticks;
  private long startNanos;
  private long launched;
  private int inFlight;
  private volatile long launchedSoFar;
  private volatile boolean stopped;

  GhostPolls(Site site, EventLoop loop, Sources sources, Settings s) {
    this.site = site;
    this.loop = loop;
    this.sources = sources;
    this.rate = s.count("ghost-rate", 500, 5000);
    this.channelCount = s.count("ghost-channels", 100, 10_000);
    this.parkMillis = s.number("ghost-park-ms", 100, 1, 10_000);
  }

  @Override
  public String name() {
    return "ghost-polls";
  }

  @Override
  public void prepare() throws Exception {
    channels = site.channels(channelCount, "ghost");
  }

  @Override
  public void start() {
    loop.execute(() -> startNanos = System.nanoTime());
    ticks = Every.start(loop, 10, this::tick);
  }

  @Override
  public String progress() {
    return launchedSoFar + " ghosts so far";
  }

  @Override
  public void stop() throws InterruptedException {
    stopped = true;
    ticks.cancel();
    // The ghosts still open are reset when the phase closes the attack's loop; not counted.
  }

  private void tick() {
    long due = (System.nanoTime() - startNanos) / 1_000_000L * rate / 1000;
    while (launched < due && inFlight < MAX_IN_FLIGHT) {
      launch(launched++);
    }
    if (launched < due) {
      tally.add("skipped (too many open)", due - launched);
      launched = due;
    }
    launchedSoFar = launched;
  }

  private void launch(long n) {
    Site.Channel channel = channels.get((int) (n % channels.size()));
    boolean reset = n % 2 == 1;
    tally.add("launched");
    inFlight++;
    try {
      loop.connect(site.server, sources.next(), new Conn.Handler() {
        private boolean opened;
        private boolean ended;

        @Override
        public void onOpen(Conn conn) {
          opened = true;
          conn.send(site.poll(channel));
          loop.schedule(parkMillis, () -> {
            if (!ended) {
              ended = true;
              tally.add(reset ? "hung up (RST)" : "hung up (FIN)");
              conn.close(reset);
            }
          });
        }

        @Override
        public void onResponse(Conn conn, HttpResponse response) {
          // Answered before the hang-up: a refusal (429 too many polls, 503 full) or a message.
          tally.status(response.status());
          tally.sample("answer " + response.status(), response.bodyText());
        }

        @Override
        public void onClose(Conn conn, IOException cause) {
          inFlight--;
          if (!ended && !stopped) {
            ended = true;
            tally.add((opened ? "dropped (" : "failed (") + Failures.kind(cause) + ")");
          }
        }
      });
    } catch (IOException e) {
      inFlight--;
      tally.add("failed (" + Failures.kind(e) + ")");
    }
  }

  @Override
  public void writeTo(ObjectNode figures) {
    tally.writeTo(figures);
    figures.put("summary", tally.get("launched") + " ghost polls at " + rate + "/s on " + channelCount + " channels ("
        + tally.get("hung up (FIN)") + " FIN, " + tally.get("hung up (RST)") + " RST); answered before hang-up "
        + Summaries.counts(tally.withPrefix("status_")) + "; dropped/failed "
        + Summaries.counts(merge(Summaries.kinds(tally, "dropped"), Summaries.kinds(tally, "failed"))));
  }

  private static Map<String, Long> merge(Map<String, Long> a, Map<String, Long> b) {
    Map<String, Long> out = new TreeMap<>(a);
    b.forEach((k, v) -> out.merge(k, v, Long::sum));
    return out;
  }
}
