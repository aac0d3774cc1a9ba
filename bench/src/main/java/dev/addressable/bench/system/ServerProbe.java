package dev.addressable.bench.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the coordinator asks a server about itself: how many receivers it holds parked right now
 * (the relay's {@code addressable_parked_requests}; nchan's stub status {@code subscribers}), so a
 * scenario starts only once every receiver is really waiting.
 */
public final class ServerProbe {

  private static final Pattern RELAY_PARKED = Pattern.compile("(?m)^addressable_parked_requests (\\d+)");
  private static final Pattern NCHAN_SUBSCRIBERS = Pattern.compile("(?m)^subscribers: (\\d+)");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String system;
  private final URI base;

  public ServerProbe(String system, URI base) throws IOException {
    if (!InetAddress.getByName(base.getHost()).isLoopbackAddress()) {
      throw new IllegalArgumentException("benchmarks only target loopback (127.0.0.0/8, ::1): " + base);
    }
    this.system = system;
    this.base = base;
  }

  public long parked() throws IOException, InterruptedException {
    boolean relay = system.equals("addressable");
    String text = get(relay ? "/metrics" : "/nchan_status");
    Matcher m = (relay ? RELAY_PARKED : NCHAN_SUBSCRIBERS).matcher(text);
    if (!m.find()) {
      throw new IOException("no parked count in the server's status: " + text);
    }
    return Long.parseLong(m.group(1));
  }

  /** The raw status text: the relay's /metrics or nchan's stub status. */
  public String status() throws IOException, InterruptedException {
    return get(system.equals("addressable") ? "/metrics" : "/nchan_status");
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

  private String get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
