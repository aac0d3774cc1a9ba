package dev.addressable.relay.store;

/** A client: the id {@code /connect} handed out, checked by whoever made the value. */
public record ClientId(String value) {

  public ClientId {
    if (value == null) {
      throw new IllegalArgumentException("a client id is required");
    }
  }

  /** One of this client's channels. */
  public ChannelId channel(String name) {
    return new ChannelId(value, name);
  }

  @Override
  public String toString() {
    return value.substring(0, Math.min(4, value.length())) + "…";
  }
}
