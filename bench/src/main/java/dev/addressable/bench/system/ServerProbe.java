package dev.addressable.bench.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the coordinator asks a server about itself: how many receivers it holds parked right now
 * (the relay's {@code addressable_parked_requests}; nchan's stub status {@code subscribers}), so a
 * scenario starts only once every receiver is really waiting. With several servers (a system of
 * several relays or nginx instances, {@link Servers}) the counts are summed over all of them; the
 * raw status and {@code /connect} go to the first.
 *
 * <p>Several relay processes may also share one port ({@code --reuse-port}): the kernel hands each
 * new connection to one of them, so the probe asks on fresh connections until it has heard from
 * every process (told apart by {@code addressable_process_id}) and sums their latest counts.
 * Nginx needs no such care: nchan's status counts every worker's subscribers.
 */
public final class ServerProbe {

  private static final Pattern RELAY_PARKED = Pattern.compile("(?m)^addressable_parked_requests (\\d+)");
  private static final Pattern NCHAN_SUBSCRIBERS = Pattern.compile("(?m)^subscribers: (\\d+)");
  private static final Pattern RELAY_PID = Pattern.compile("(?m)^addressable_process_id (\\d+)");
  /** Fresh connections tried to hear from every process behind a shared port (6 need about 15). */
  private static final int MAX_ASKS_PER_PROCESS = 40;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final boolean relay;
  private final List<URI> bases;
  private final URI base;
  private final int processesPerPort;

  public ServerProbe(String system, URI base) throws IOException {
    this(system, List.of(base), 1);
  }

  /** @param processesPerPort relay processes sharing each port ({@code --reuse-port}), 1 when each has its own */
  public ServerProbe(String system, List<URI> bases, int processesPerPort) throws IOException {
    for (URI b : bases) {
      if (!InetAddress.getByName(b.getHost()).isLoopbackAddress()) {
        throw new IllegalArgumentException("benchmarks only target loopback (127.0.0.0/8, ::1): " + b);
      }
    }
    this.relay = Target.family(system).equals("addressable");
    this.bases = List.copyOf(bases);
    this.base = bases.get(0);
    this.processesPerPort = relay ? processesPerPort : 1;
  }

  /** Receivers parked now, summed over the servers. */
  public long parked() throws IOException, InterruptedException {
    long sum = 0;
    for (URI b : bases) {
      if (processesPerPort > 1) {
        sum += parkedBehindSharedPort(b);
        continue;
      }
      String text = get(b, relay ? "/metrics" : "/nchan_status");
      Matcher m = (relay ? RELAY_PARKED : NCHAN_SUBSCRIBERS).matcher(text);
      if (!m.find()) {
        throw new IOException("no parked count in the status of " + b + ": " + text);
      }
      sum += Long.parseLong(m.group(1));
    }
    return sum;
  }

  /** Asks {@code /metrics} on fresh connections until each process behind the port has answered once. */
  private long parkedBehindSharedPort(URI server) throws IOException {
    Map<Long, Long> byProcess = new HashMap<>();
    for (int ask = 0; ask < MAX_ASKS_PER_PROCESS * processesPerPort && byProcess.size() < processesPerPort; ask++) {
      String text = getOnFreshConnection(server, "/metrics");
      Matcher pid = RELAY_PID.matcher(text);
      Matcher parked = RELAY_PARKED.matcher(text);
      if (!pid.find() || !parked.find()) {
        throw new IOException("no process id or parked count in the metrics of " + server + " (a relay older than addressable_process_id?)");
      }
      byProcess.put(Long.parseLong(pid.group(1)), Long.parseLong(parked.group(1)));
    }
    if (byProcess.size() < processesPerPort) {
      throw new IOException("heard from " + byProcess.size() + " of " + processesPerPort + " processes behind " + server
          + " in " + MAX_ASKS_PER_PROCESS * processesPerPort + " connections: are they all started with --reuse-port?");
    }
    return byProcess.values().stream().mapToLong(Long::longValue).sum();
  }

  /** One GET on a connection of its own ({@code Connection: close}), so the kernel picks the process anew. */
  private static String getOnFreshConnection(URI server, String path) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 5000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + server.getHost() + ":" + server.getPort()
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int body = answer.indexOf("\r\n\r\n");
      if (!answer.startsWith("HTTP/1.1 200") || body < 0) {
        throw new IOException(server + path + " answered: " + answer.substring(0, Math.min(200, answer.length())));
      }
      return answer.substring(body + 4);
    }
  }

  /** The raw status text of the first server: the relay's /metrics or nchan's stub status. */
  public String status() throws IOException, InterruptedException {
    return get(base, relay ? "/metrics" : "/nchan_status");
  }

  /** A relay-only call: POST /connect with a JSON body; the answer's body. */
  public String connect(String json) throws IOException, InterruptedException {
    return post("/connect", json);
  }

  /** A relay-only call: POST {@code path} with a JSON body ({@code /connect}, {@code /topics}); the answer's body. */
  public String post(String path, String json) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 && r.statusCode() != 201) {
      throw new IOException(path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /**
   * One GET, tried up to three times a second apart: a server holding 100,000 connections on a
   * busy machine may reset one status request (nginx with Nchan's Redis store did, once).
   */
  private String get(URI server, String path) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return http.send(HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
      } catch (IOException e) {
        if (attempt == 3) {
          throw e;
        }
        Thread.sleep(1000);
      }
    }
  }
}
