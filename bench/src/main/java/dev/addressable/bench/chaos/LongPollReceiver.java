package dev.addressable.bench.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;

/** Long-poll: {@code GET /poll} with the key in {@code Authorization: Bearer}, one answer per request. */
final class LongPollReceiver extends Receiver {

  LongPollReceiver(Tab tab, Ledger ledger, java.util.List<InetSocketAddress> relays, int pollTimeout, long seed) {
    super(tab, ledger, relays, pollTimeout, seed);
  }

  @Override
  void receive(InetSocketAddress relay) throws IOException {
    RawHttp.Answer a = RawHttp.get(relay, "/poll?" + tab.receiveQuery(false) + "&timeout=" + pollTimeout,
        Map.of("Authorization", "Bearer " + tab.key), (pollTimeout + 5) * 1000);
    if (a.status() != 200) {
      throw refused(Integer.toString(a.status()), a.retryAfter(), a.body());
    }
    batch(JSON.readTree(a.body()));
  }
}
