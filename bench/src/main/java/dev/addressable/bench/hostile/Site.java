package dev.addressable.bench.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressable.bench.system.ServerProbe;
import dev.addressable.bench.system.Target;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests the attacks and probes make, for one system. The relay: channels come from
 * {@code POST /connect}, a send is a POST to the channel's address, a poll is {@code GET /poll}
 * with {@code Authorization: Bearer}, a stream is {@code GET /events}. Nchan, as
 * {@code bench/nchan/hostile.conf.in} sets it up: {@code /pub/{id}}, {@code /sub/{id}} (long-poll),
 * {@code /sse/{id}} (EventSource); channels need no setup. Loopback servers only.
 */
final class Site {

  /** One channel on the server under test. {@code client}, {@code key} and {@code cursor} are the relay's. */
  record Channel(String client, String key, String name, String cursor, String sendPath) {}

  /** Channels made per relay client (its --max-channels-per-client defaults to 256). */
  private static final int CHANNELS_PER_CLIENT = 16;
  private static final ObjectMapper JSON = new ObjectMapper();

  final String system;
  final String hostPort;
  final InetSocketAddress server;
  final Target target;
  private final ServerProbe probe;

  Site(String system, URI url) throws IOException {
    if (!system.equals("addressable") && !system.equals("nchan")) {
      throw new IllegalArgumentException("--system must be addressable or nchan: " + system);
    }
    InetAddress host = InetAddress.getByName(url.getHost());
    if (!host.isLoopbackAddress() || url.getPort() <= 0) {
      throw new IllegalArgumentException("--url must be a loopback address with a port (127.0.0.0/8): " + url);
    }
    this.system = system;
    this.hostPort = url.getHost() + ":" + url.getPort();
    this.server = new InetSocketAddress(host, url.getPort());
    this.target = Target.of(system, hostPort);
    this.probe = new ServerProbe(system, URI.create("http://" + hostPort));
  }

  boolean relay() {
    return system.equals("addressable");
  }

  String healthPath() {
    return relay() ? "/health" : "/nchan_status";
  }

  /** {@code count} fresh channels named {@code prefix + i}; on the relay, several per client. */
  List<Channel> channels(int count, String prefix) throws IOException, InterruptedException {
    List<Channel> out = new ArrayList<>(count);
    Channel owner = null;
    for (int i = 0; i < count; i++) {
      String name = prefix + i;
      if (!relay()) {
        out.add(new Channel(null, null, name, null, "/pub/" + name));
        continue;
      }
      String body = i % CHANNELS_PER_CLIENT == 0
          ? "{\"channel\":\"" + name + "\"}"
          : "{\"client\":\"" + owner.client() + "\",\"key\":\"" + owner.key() + "\",\"channel\":\"" + name + "\"}";
      JsonNode j = JSON.readTree(probe.connect(body));
      Channel c = new Channel(j.get("client").asText(), j.get("key").asText(), j.get("channel").asText(),
          j.get("cursor").asText(), URI.create(j.get("url").asText()).getRawPath());
      if (i % CHANNELS_PER_CLIENT == 0) {
        owner = c;
      }
      out.add(c);
    }
    return out;
  }

  /** A long-poll on {@code c} (the relay's asks for 25 s). */
  byte[] poll(Channel c) {
    String head = relay()
        ? "GET /poll?client=" + c.client() + "&channel=" + c.name() + "&cursor=" + c.cursor() + "&timeout=25 HTTP/1.1\r\n"
            + "Host: " + hostPort + "\r\nAuthorization: Bearer " + c.key() + "\r\n\r\n"
        : "GET /sub/" + c.name() + " HTTP/1.1\r\nHost: " + hostPort + "\r\n\r\n";
    return head.getBytes(StandardCharsets.US_ASCII);
  }

  /** A streaming receiver on {@code c}: Server-Sent Events. */
  byte[] stream(Channel c) {
    String path = relay()
        ? "/events?client=" + c.client() + "&channel=" + c.name() + "&key=" + c.key()
        : "/sse/" + c.name();
    return ("GET " + path + " HTTP/1.1\r\nHost: " + hostPort + "\r\nAccept: text/event-stream\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The head of a {@code text/plain} POST of {@code length} bytes to {@code c}'s send address. */
  byte[] postHead(Channel c, int length) {
    return ("POST " + c.sendPath() + " HTTP/1.1\r\nHost: " + hostPort + "\r\nContent-Type: text/plain\r\nContent-Length: "
        + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** A whole {@code text/plain} POST of {@code body} to {@code c}'s send address. */
  byte[] post(Channel c, byte[] body) {
    byte[] head = postHead(c, body.length);
    byte[] out = new byte[head.length + body.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    return out;
  }
}
