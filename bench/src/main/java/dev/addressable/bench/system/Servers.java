package dev.addressable.bench.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The servers of one system under test, from {@code --server host:port[,host:port…]}: sends go
 * through the first; receivers are spread round-robin over all the others, or over the first when
 * it is the only one. So {@code --server A,B} sends through A and receives through B (a message
 * must cross from one relay to the other), {@code --server A,B,C} receives through B and C, and
 * {@code --server A} does everything on A, as before. Naming one server twice ({@code A,A}) runs
 * the split against a single server. Loopback addresses only.
 */
public final class Servers {

  private final List<String> all;

  private Servers(List<String> all) {
    this.all = all;
  }

  /** Parses a comma-separated list of {@code host:port}; every host must be a loopback address. */
  public static Servers parse(String list) throws IOException {
    List<String> all = new ArrayList<>();
    for (String part : list.split(",")) {
      String hostPort = part.trim();
      if (hostPort.isEmpty()) {
        continue;
      }
      InetSocketAddress address = address(hostPort);
      if (!address.getAddress().isLoopbackAddress()) {
        throw new IllegalArgumentException("benchmarks only target loopback (127.0.0.0/8, ::1): " + hostPort);
      }
      all.add(hostPort);
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException("--server names no host:port: \"" + list + "\"");
    }
    return new Servers(List.copyOf(all));
  }

  /** {@code host:port} as a socket address; the host is resolved (it is a loopback literal in practice). */
  public static InetSocketAddress address(String hostPort) throws IOException {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("not host:port: \"" + hostPort + "\"");
    }
    return new InetSocketAddress(InetAddress.getByName(hostPort.substring(0, colon)),
        Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /** Where senders send: the first server. */
  public String send() {
    return all.get(0);
  }

  public InetSocketAddress sendAddress() throws IOException {
    return address(send());
  }

  /** Where receivers receive, in round-robin order: every server but the first, or the first alone. */
  public List<String> receive() {
    return all.size() == 1 ? all : all.subList(1, all.size());
  }

  /** The receiving server of receiver number {@code index}. */
  public String receiveFor(int index) {
    List<String> r = receive();
    return r.get(Math.floorMod(index, r.size()));
  }

  /** Each receiving server once, as base URIs (for counting what they hold parked). */
  public List<URI> receiveBases() {
    List<URI> out = new ArrayList<>();
    for (String hostPort : new LinkedHashSet<>(receive())) {
      out.add(URI.create("http://" + hostPort));
    }
    return out;
  }

  /** The receiving servers as the agents take them: {@code host:port,host:port}. */
  public String receiveList() {
    return String.join(",", receive());
  }

  /** Every server, as given. */
  public List<String> all() {
    return all;
  }

  @Override
  public String toString() {
    return String.join(",", all);
  }
}
