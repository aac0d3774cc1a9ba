package dev.addressable.relay.http.transport;

import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.Call;
import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.http.wire.Fields;
import dev.addressable.relay.http.wire.Route;

/**
 * One wire protocol a receiver reads its channel through, as the browser library has one
 * transport object per protocol: long-poll, JSONP, Server-Sent Events, WebSocket. The router hands
 * a receiver's request to the first transport that {@link #serves} it ({@link Transports});
 * adding a protocol is one class here and one line in {@link Transports#standard}.
 *
 * <p>Every transport checks a receiver the same way ({@code endpoint.Receiving})
 * and reads the channel's feed through the core ({@code dev.addressable.relay.transport}: a parked
 * poll or a stream pump); what differs is only how batches are framed on the wire.
 */
public interface Transport {

  /** Its name, as the browser library and the metrics call it. */
  String name();

  /** Whether it serves a request for {@code route}, which names the JSONP {@code callback} (or {@code null}). */
  boolean serves(Route route, String callback);

  /**
   * Serves a receiver's request.
   *
   * @return the answer now, or {@code null} when it comes later through {@code exchange} (a parked
   *     poll, a stream)
   */
  Answer receive(Call call, Fields fields, String callback, Exchange exchange);
}
