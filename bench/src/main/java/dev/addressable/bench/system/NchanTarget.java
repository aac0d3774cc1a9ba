package dev.addressable.bench.system;

import dev.addressable.bench.load.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Nchan behind nginx, as configured by {@code bench/nchan/nginx.conf.in}: a long-poll subscriber at
 * {@code /sub/{channel}}, a publisher at {@code /pub/{channel}} (POST, the body is the message).
 * A subscriber answer carries one message; its Last-Modified and Etag go back as
 * If-Modified-Since and If-None-Match, so the next poll gets the next message from the channel's
 * buffer and nothing is lost between polls.
 */
final class NchanTarget implements Target {

  private final String host;

  NchanTarget(String host) {
    this.host = host;
  }

  @Override
  public String system() {
    return "nchan";
  }

  @Override
  public byte[] setupRequest(Subscription s) {
    s.address = "/pub/" + s.channel;
    return null;
  }

  @Override
  public boolean onSetup(Subscription s, HttpResponse response) {
    return true;
  }

  @Override
  public byte[] pollRequest(Subscription s) {
    StringBuilder req = new StringBuilder(160).append("GET /sub/").append(s.channel)
        .append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
    if (s.lastModified != null) {
      req.append("If-Modified-Since: ").append(s.lastModified).append("\r\n");
    }
    if (s.etag != null) {
      req.append("If-None-Match: ").append(s.etag).append("\r\n");
    }
    return req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public boolean onPoll(Subscription s, HttpResponse response, Consumer<String> messages) {
    int status = response.status();
    if (status == 304 || status == 408) {
      return true; // the long-poll ran out; poll again from the same place
    }
    if (status != 200) {
      return false;
    }
    String lastModified = response.header("last-modified");
    if (lastModified != null) {
      s.lastModified = lastModified;
    }
    String etag = response.header("etag");
    if (etag != null) {
      s.etag = etag;
    }
    messages.accept(response.bodyText());
    return true;
  }

  @Override
  public byte[] sendRequest(String address, String text) {
    return ("POST " + address + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: text/plain\r\nContent-Length: "
        + text.length() + "\r\n\r\n" + text).getBytes(StandardCharsets.US_ASCII);
  }
}
