package dev.addressable.relay.store;

/**
 * A topic, by the id its subscribers see in every message (never its publish token), genuine by
 * {@link dev.addressable.relay.topic.TopicKeys#isId}.
 */
public record TopicId(String value) {

  public TopicId {
    if (value == null) {
      throw new IllegalArgumentException("a topic id is required");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
