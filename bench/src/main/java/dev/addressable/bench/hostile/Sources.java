package dev.addressable.bench.hostile;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The loopback source addresses attack connections are bound to, in turn: 127.0.0.{base},
 * 127.0.0.{base+1}, … Each source address has its own ~28,000 ephemeral ports, so the
 * connections an attack leaves in TIME_WAIT do not run the generator out of ports.
 */
final class Sources {

  private final InetAddress[] addresses;
  private int next;

  Sources(int base, int count) throws UnknownHostException {
    if (base < 2 || base + count > 255) {
      throw new IllegalArgumentException("source addresses must be within 127.0.0.2..127.0.0.254: base " + base
          + ", count " + count);
    }
    addresses = new InetAddress[count];
    for (int i = 0; i < count; i++) {
      addresses[i] = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (base + i)});
    }
  }

  /** The next address in turn. */
  synchronized InetAddress next() {
    InetAddress a = addresses[next];
    next = (next + 1) % addresses.length;
    return a;
  }
}
