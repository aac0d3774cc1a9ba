package dev.addressable.bench.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the coordinator asks a server about itself: how many receivers it holds parked right now
 * (the relay's {@code addressable_parked_requests}; nchan's stub status {@code subscribers}), so a
 * scenario starts only once every receiver is really waiting. With several servers (a system of
 * several relays or nginx instances, {@link Servers}) the counts are summed over all of them; the
 * raw status and {@code /connect} go to the first.
 */
public final class ServerProbe {

  private static final Pattern RELAY_PARKED = Pattern.compile("(?m)^addressable_parked_requests (\\d+)");
  private static final Pattern NCHAN_SUBSCRIBERS = Pattern.compile("(?m)^subscribers: (\\d+)");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final boolean relay;
  private final List<URI> bases;
  private final URI base;

  public ServerProbe(String system, URI base) throws IOException {
    this(system, List.of(base));
  }

  public ServerProbe(String system, List<URI> bases) throws IOException {
    for (URI b : bases) {
      if (!InetAddress.getByName(b.getHost()).isLoopbackAddress()) {
        throw new IllegalArgumentException("benchmarks only target loopback (127.0.0.0/8, ::1): " + b);
      }
    }
    this.relay = Target.family(system).equals("addressable");
    this.bases = List.copyOf(bases);
    this.base = bases.get(0);
  }

  /** Receivers parked now, summed over the servers. */
  public long parked() throws IOException, InterruptedException {
    long sum = 0;
    for (URI b : bases) {
      String text = get(b, relay ? "/metrics" : "/nchan_status");
      Matcher m = (relay ? RELAY_PARKED : NCHAN_SUBSCRIBERS).matcher(text);
      if (!m.find()) {
        throw new IOException("no parked count in the status of " + b + ": " + text);
      }
      sum += Long.parseLong(m.group(1));
    }
    return sum;
  }

  /** The raw status text of the first server: the relay's /metrics or nchan's stub status. */
  public String status() throws IOException, InterruptedException {
    return get(base, relay ? "/metrics" : "/nchan_status");
  }

  /** A relay-only call: POST /connect with a JSON body; the answer's body. */
  public String connect(String json) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/connect"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("connect answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private String get(URI server, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
