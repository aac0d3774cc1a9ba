package dev.addressable.bench.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressable.bench.load.HttpResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The Addressable relay: {@code POST /connect} gives a receiver its client, key, channel, address
 * and cursor (then, for a receiver of a topic, {@code POST /subscribe}); {@code GET /poll} with {@code Authorization: Bearer} and the cursor long-polls; a
 * send is {@code GET {address}?message=}. A poll answer may carry several messages.
 */
final class AddressableTarget implements Target {

  /** Long-poll timeout asked for; the relay's default maximum. */
  static final int POLL_SECONDS = 60;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final String host;

  AddressableTarget(String host) {
    this.host = host;
  }

  @Override
  public String system() {
    return "addressable";
  }

  @Override
  public byte[] setupRequest(Subscription s) {
    if (s.cursor != null) {
      return s.topic == null || s.following ? null : subscribeRequest(s);
    }
    String body = s.client == null
        ? "{\"channel\":\"" + s.channel + "\"}"
        : "{\"client\":\"" + s.client + "\",\"key\":\"" + s.key + "\",\"channel\":\"" + s.channel + "\"}";
    return ("POST /connect HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code POST /subscribe}: the receiver's channel follows its topic (the answer after connect). */
  private byte[] subscribeRequest(Subscription s) {
    String body = "{\"client\":\"" + s.client + "\",\"key\":\"" + s.key + "\",\"channel\":\"" + s.channel
        + "\",\"topic\":\"" + s.topic + "\",\"subscribeKey\":\"" + s.subscribeKey + "\"}";
    return ("POST /subscribe HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public boolean onSetup(Subscription s, HttpResponse response) {
    if (response.status() != 200) {
      return false;
    }
    if (s.cursor != null) {
      s.following = true; // the subscribe's answer
      return true;
    }
    try {
      JsonNode j = JSON.readTree(response.body());
      s.client = j.get("client").asText();
      s.key = j.get("key").asText();
      s.cursor = j.get("cursor").asText();
      s.address = URI.create(j.get("url").asText()).getRawPath();
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public byte[] pollRequest(Subscription s) {
    return ("GET /poll?client=" + s.client + "&channel=" + s.channel + "&cursor=" + s.cursor + "&timeout=" + POLL_SECONDS
        + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + s.key + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public boolean onPoll(Subscription s, HttpResponse response, Consumer<String> messages) {
    if (response.status() != 200) {
      return false;
    }
    // The answer is {"cursor":"…","messages":[{"seq":…,"data":"…","ts":…},…]}; the bench's own
    // message texts need no JSON escapes, so a scan is enough and keeps the generator cheap.
    String body = response.bodyText();
    String cursor = stringField(body, "\"cursor\":\"", 0);
    if (cursor == null) {
      return false;
    }
    s.cursor = cursor;
    for (int at = body.indexOf("\"data\":\""); at >= 0; at = body.indexOf("\"data\":\"", at + 8)) {
      String data = stringField(body, "\"data\":\"", at);
      if (data != null) {
        messages.accept(data);
      }
    }
    return true;
  }

  private static String stringField(String json, String prefix, int from) {
    int start = json.indexOf(prefix, from);
    if (start < 0) {
      return null;
    }
    start += prefix.length();
    int end = json.indexOf('"', start);
    return end < 0 ? null : json.substring(start, end);
  }

  @Override
  public byte[] sendRequest(String address, String text) {
    return ("GET " + address + "?message=" + text + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }
}
