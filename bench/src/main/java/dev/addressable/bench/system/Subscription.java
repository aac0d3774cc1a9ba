package dev.addressable.bench.system;

/**
 * One receiver's state on one system: which channel it reads, its credentials, and where it is in
 * the channel (the relay's cursor, or nchan's Last-Modified and Etag), so a re-poll after each
 * answer loses nothing. Owned by one event loop.
 */
public final class Subscription {

  public final int index;
  public final String channel;
  /** Addressable: the client it belongs to and its key (given for fan-out, else from /connect). */
  public String client;
  public String key;
  public String cursor;
  /** Where a sender reaches this receiver: a path on the server. */
  public String address;
  /** Addressable: a topic this receiver's channel follows (its id or publish URL) and the key to subscribe, or null. */
  public String topic;
  public String subscribeKey;
  /** Whether the channel follows {@link #topic} yet. */
  public boolean following;
  /** nchan: the position of the last message, sent back as If-Modified-Since / If-None-Match. */
  public String lastModified;
  public String etag;

  public Subscription(int index, String channel) {
    this.index = index;
    this.channel = channel;
  }
}
