package dev.addressable.relay.store;

/**
 * One channel: a client's id and the channel's name, both checked by whoever made the value
 * ({@link dev.addressable.relay.address.Ids}). Its text never shows the whole address, which lets
 * anyone send to the tab: logs print only its start.
 */
public record ChannelId(String client, String name) {

  public ChannelId {
    if (client == null || name == null) {
      throw new IllegalArgumentException("a channel needs its client and its name: " + client + ", " + name);
    }
  }

  public ClientId clientId() {
    return new ClientId(client);
  }

  @Override
  public String toString() {
    return client.substring(0, Math.min(4, client.length())) + "…/" + name;
  }
}
