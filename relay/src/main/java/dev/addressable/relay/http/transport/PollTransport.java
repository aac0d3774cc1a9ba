package dev.addressable.relay.http.transport;

import dev.addressable.relay.config.PollConfig;
import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.http.endpoint.Receiving;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.Call;
import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.http.wire.Fields;
import dev.addressable.relay.http.wire.HubRequest;
import dev.addressable.relay.http.wire.Jsonp;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.http.wire.Route;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.store.ClientId;
import dev.addressable.relay.transport.ClientPolls;
import dev.addressable.relay.transport.HubPoll;
import dev.addressable.relay.transport.LongPoll;
import dev.addressable.relay.transport.Receivers;
import java.time.Duration;
import java.util.Map;

/**
 * {@code GET /poll}: the long-poll receiver, answered as JSON ({@code longpoll}) or, with
 * {@code callback=}, as a script for a script tag ({@code jsonp}). Parks without a thread until
 * the channel's feed holds something after the cursor, or the timeout passes. A poll with a valid
 * key makes the channel live again if it had expired or the relay restarted; the old cursor then
 * gets {@code "missed":true}.
 *
 * <p>A parked poll is answered on the thread that ends its wait: a sender's request thread, a
 * selector thread waking many receivers, or a pool slice of timeouts (never the timer thread). The
 * answer is a small non-blocking write, cheaper than handing it to yet another thread. A client
 * that goes away while its poll waits takes it off the waiting list at once
 * ({@link Exchange#waiting}).
 */
public final class PollTransport implements Transport {

  /** The two answer forms of a poll. */
  public enum Form {
    JSON("longpoll"), JSONP("jsonp");

    private final String transport;

    Form(String transport) {
      this.transport = transport;
    }
  }

  private final Form form;
  private final Receivers receivers;
  private final KeyRing keys;
  private final LongPoll longPoll;
  private final PollConfig config;
  private final Metrics metrics;
  private final HubPoll hubPoll;
  private final int maxChannels;
  private final ClientPolls polls;

  /**
   * @param hubPoll where hubs' polls wait
   * @param maxChannels the most channels a hub's poll carries ({@code --max-channels-per-client})
   * @param polls the polls and streams each client holds ({@code --max-polls-per-client})
   */
  public PollTransport(Form form, Receivers receivers, KeyRing keys, LongPoll longPoll, PollConfig config,
      Metrics metrics, HubPoll hubPoll, int maxChannels, ClientPolls polls) {
    this.hubPoll = hubPoll;
    this.maxChannels = maxChannels;
    this.polls = polls;
    this.form = form;
    this.receivers = receivers;
    this.keys = keys;
    this.longPoll = longPoll;
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return form.transport;
  }

  @Override
  public boolean serves(Route route, String callback) {
    return route.kind() == Route.Kind.POLL && (callback != null) == (form == Form.JSONP);
  }

  /**
   * Opens a poll: answers at once when there is something to read (or the request is refused),
   * else parks it until a send wakes it or its timeout ends it, and then answers it through
   * {@code exchange} on that thread. A poll that may wait holds one of its client's slots
   * ({@code --max-polls-per-client}) until it ends; a client holding all of them gets its poll
   * read at once and answered with {@code "interval"}, the milliseconds to wait before the next.
   */
  @Override
  public Answer receive(Call call, Fields query, String callback, Exchange exchange) {
    Fields fields = call.is("POST") ? query.withBody(call, true) : query;
    if (HubRequest.isHub(fields)) {
      return receiveHub(call, fields, callback, exchange);
    }
    if (!call.is("GET")) {
      throw ApiException.methodNotAllowed("GET", "a poll of one channel is a GET (a hub's poll, with hub=, may be a POST)");
    }
    Duration timeout = Requests.timeout(fields.get("timeout"), config.defaultTimeout(), config.maxTimeout());
    Receiving receiving = Receiving.open(receivers, keys, fields.get("client"), fields.get("channel"),
        Requests.key(call.header("Authorization"), fields.get("key")), fields.get("cursor"));
    String client = receiving.channel().client();
    if (timeout.isZero() || !polls.isCapped()) {
      return poll(receiving, timeout, callback, exchange, 0);
    }
    if (!polls.tryTake(client)) {
      return poll(receiving, Duration.ZERO, callback, exchange, ClientPolls.INTERVAL_MILLIS);
    }
    CappedExchange held = new CappedExchange(exchange, polls, client);
    return held.serve(() -> poll(receiving, timeout, callback, held, 0));
  }

  /** Reads or parks one channel's poll; {@code interval} (ms, 0 for none) goes into its answer. */
  private Answer poll(Receiving receiving, Duration timeout, String callback, Exchange exchange, int interval) {
    Batch now = longPoll.poll(receiving.channel(), receiving.cursor(), receiving.cursor() != null, timeout,
        (batch, failure) -> exchange.answer(answerOrError(batch, failure, callback, interval)), exchange::waiting);
    return now == null ? null : answer(now, callback, interval);
  }

  /**
   * A hub's poll ({@code hub=<term>&channels=…}), GET or POST (a form or JSON body, for lists too
   * long for a URL): answered with the channels that have something, at once or when the first
   * of them does; a timeout answers with none. It holds one slot of its client, as any poll does.
   */
  private Answer receiveHub(Call call, Fields fields, String callback, Exchange exchange) {
    if (!call.is("GET") && !call.is("POST")) {
      throw ApiException.methodNotAllowed("GET, POST");
    }
    long term = HubRequest.term(fields);
    String client = Requests.client(fields.get("client"));
    Requests.authorize(keys, client, Requests.key(call.header("Authorization"), fields.get("key")));
    Map<String, FeedCursor> channels = HubRequest.channels(fields.get("channels"), maxChannels);
    Duration timeout = Requests.timeout(fields.get("timeout"), config.defaultTimeout(), config.maxTimeout());
    if (channels.isEmpty()) { // nothing to wait for, and a wait of nothing would never end: ask again later
      return pollHub(client, term, channels, Duration.ZERO, callback, exchange, ClientPolls.INTERVAL_MILLIS);
    }
    if (timeout.isZero() || !polls.isCapped()) {
      return pollHub(client, term, channels, timeout, callback, exchange, 0);
    }
    if (!polls.tryTake(client)) {
      return pollHub(client, term, channels, Duration.ZERO, callback, exchange, ClientPolls.INTERVAL_MILLIS);
    }
    CappedExchange held = new CappedExchange(exchange, polls, client);
    return held.serve(() -> pollHub(client, term, channels, timeout, callback, held, 0));
  }

  private Answer pollHub(String client, long term, Map<String, FeedCursor> channels, Duration timeout, String callback,
      Exchange exchange, int interval) {
    Map<String, HubPoll.Outcome> now = hubPoll.poll(new ClientId(client), term, channels, timeout,
        (answer, failure) -> exchange.answer(hubAnswerOrError(answer, failure, callback, interval)), exchange::waiting);
    return now == null ? null : hubAnswer(now, callback, interval);
  }

  private Answer hubAnswerOrError(Map<String, HubPoll.Outcome> answer, Throwable failure, String callback, int interval) {
    if (failure == null) {
      try {
        return hubAnswer(answer, callback, interval);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    ApiException refused = ApiException.of(failure);
    if (refused.status() >= 500) {
      metrics.error();
    }
    return Answer.failed(refused, callback);
  }

  private Answer hubAnswer(Map<String, HubPoll.Outcome> channels, String callback, int interval) {
    metrics.pollAnswered();
    for (HubPoll.Outcome outcome : channels.values()) {
      if (outcome.batch() != null) {
        metrics.messagesDelivered(outcome.batch().messages().size());
        metrics.delivered(form.transport, outcome.batch().messages());
      }
    }
    HubPollBody body = new HubPollBody(channels, form == Form.JSONP, interval);
    return form == Form.JSON ? Answer.json(200, body) : Answer.script(Jsonp.call(callback, body));
  }

  /**
   * The answer to a poll that waited (or whose read the store answered later), or the error
   * answer if reading failed: a refused cursor ({@link dev.addressable.relay.store.BadCursor}, 400
   * {@code bad_cursor} now or later alike), an unreachable store, or a fault of ours.
   */
  private Answer answerOrError(Batch batch, Throwable failure, String callback, int interval) {
    if (failure == null) {
      try {
        return answer(batch, callback, interval);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    metrics.error();
    return Answer.failed(failure, callback);
  }

  private Answer answer(Batch batch, String callback, int interval) {
    metrics.pollAnswered();
    metrics.messagesDelivered(batch.messages().size());
    metrics.delivered(form.transport, batch.messages());
    return form == Form.JSON
        ? Answer.json(200, new PollBody(batch, false, interval))
        : Answer.script(Jsonp.call(callback, new PollBody(batch, true, interval)));
  }
}
