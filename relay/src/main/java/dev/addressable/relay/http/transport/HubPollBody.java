package dev.addressable.relay.http.transport;

import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.text.Ascii;
import dev.addressable.relay.text.Json;
import dev.addressable.relay.transport.HubPoll;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hub's poll answer, {@code {"channels":{"tA":{…a poll's answer…},"tC":{"error","message","status"}}[,"interval":ms][,"status":200]}}:
 * each channel that has something gets what a poll of that channel alone would (messages, cursor,
 * missed, unsubscribed), each channel that cannot be read its error; channels with nothing are left out.
 * {@code "interval"}, as in a poll's answer, asks the hub to wait before it polls again.
 */
final class HubPollBody implements Answer.Utf8 {

  private static final byte[] OPEN = Ascii.bytes("{\"channels\":{");
  private static final byte[] STATUS = Ascii.bytes(",\"status\":200");

  /** Each channel's {@code "name":} and its value, in order. */
  private final List<byte[]> names = new ArrayList<>();
  private final List<Answer.Utf8> values = new ArrayList<>();
  private final boolean withStatus;
  private final byte[] interval;
  private final int length;

  /** @param intervalMillis the wait to ask for before the next poll, or 0 for none */
  HubPollBody(Map<String, HubPoll.Outcome> channels, boolean withStatus, int intervalMillis) {
    this.withStatus = withStatus;
    this.interval = PollBody.interval(intervalMillis);
    int n = OPEN.length + 2 + interval.length + (withStatus ? STATUS.length : 0);
    for (Map.Entry<String, HubPoll.Outcome> entry : channels.entrySet()) {
      byte[] name = Ascii.bytes((names.isEmpty() ? "\"" : ",\"") + entry.getKey() + "\":"); // names are [A-Za-z0-9_-]
      HubPoll.Outcome outcome = entry.getValue();
      Answer.Utf8 value = outcome.batch() != null ? new PollBody(outcome.batch(), false) : error(outcome.failure());
      names.add(name);
      values.add(value);
      n += name.length + value.length();
    }
    this.length = n;
  }

  private static Answer.Utf8 error(RuntimeException failure) {
    ApiException refused = ApiException.of(failure);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("error", refused.code());
    fields.put("message", refused.getMessage());
    fields.put("status", refused.status());
    byte[] json = Json.write(fields).getBytes(StandardCharsets.UTF_8);
    return new Answer.Utf8() {
      @Override
      public int length() {
        return json.length;
      }

      @Override
      public void writeTo(byte[] into, int at) {
        System.arraycopy(json, 0, into, at, json.length);
      }
    };
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public void writeTo(byte[] into, int at) {
    at = Ascii.put(into, at, OPEN);
    for (int i = 0; i < names.size(); i++) {
      at = Ascii.put(into, at, names.get(i));
      Answer.Utf8 value = values.get(i);
      value.writeTo(into, at);
      at += value.length();
    }
    into[at++] = '}';
    at = Ascii.put(into, at, interval);
    if (withStatus) {
      at = Ascii.put(into, at, STATUS);
    }
    into[at] = '}';
  }
}
