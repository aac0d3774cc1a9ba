package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.Call;
import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.http.wire.Fields;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Store;
import java.util.Map;

/**
 * {@code POST /leave {client, channel}} with the key: the tab on this channel is going away (the
 * browser library sends it with {@code navigator.sendBeacon} on {@code pagehide}, so the key comes
 * as a form field there). The channel counts offline as soon as no receiver holds it, without the
 * grace period, until a receiver comes back with the key ({@link Store#leave}); its inbox and
 * subscriptions stay, so a reload loses nothing. Answers {@code {"left":true}}; a channel that is
 * not live gets 404 {@code unknown_address}, since a leave never makes one live.
 */
public final class LeaveEndpoint {

  private final Store store;
  private final KeyRing keys;
  private final Later later;

  public LeaveEndpoint(Store store, KeyRing keys, Later later) {
    this.store = store;
    this.keys = keys;
    this.later = later;
  }

  /** The answer now, or {@code null} when it comes later through {@code exchange}. */
  public Answer handle(Call call, Fields fields, String callback, Exchange exchange) {
    ChannelId channel = new ChannelId(Requests.client(fields.get("client")), Requests.channel(fields.get("channel")));
    Requests.authorize(keys, channel.client(), Requests.key(call, fields));
    return later.answer(store.leave(channel), exchange, callback, live -> {
      if (!live) {
        throw new ApiException(404, "unknown_address",
            "no live channel at this address: it expired or was never connected, so it is offline already");
      }
      return Answer.json(200, Map.<String, Object>of("left", true), callback);
    });
  }
}
