package dev.addressable.relay.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.secret.KeyRing;
import org.junit.jupiter.api.Test;

/** A topic's three capabilities: the publish token, the id, the subscribe key. */
class TopicKeysTest {

  private static TopicKeys keys(byte[] secret) {
    return new TopicKeys(new KeyRing(secret));
  }

  private final TopicKeys topics = keys(new byte[32]);

  @Test
  void aTopicsIdNamesItWithoutTheRightToPublish() {
    TopicKeys.Created created = topics.create();
    String id = created.id();
    String token = created.publishToken();
    assertTrue(topics.isPublishToken(token));
    assertTrue(topics.isId(id));
    assertEquals(id, topics.idOf(token), "the id follows from the publish token");
    assertFalse(topics.isPublishToken(id), "subscribers see the id in every message: it must not publish");
    assertFalse(topics.isId(token));
    assertTrue(topics.verifySubscribeKey(id, created.subscribeKey()));
    assertFalse(topics.verifySubscribeKey(id, topics.subscribeKey(topics.create().id())));
    assertEquals(32, token.length());
    assertEquals(32, id.length());
  }

  @Test
  void capabilitiesAreGenuineOnlyWhenMadeWithTheSecret() {
    String token = topics.create().publishToken();
    String forged = token.substring(0, 30) + (token.charAt(30) == 'A' ? 'B' : 'A') + token.charAt(31);
    assertFalse(topics.isPublishToken(forged));
    assertFalse(topics.isPublishToken("tooShort"));
    byte[] other = new byte[32];
    other[0] = 1;
    assertFalse(keys(other).isPublishToken(token), "another secret, another relay");
    assertFalse(keys(other).isId(topics.idOf(token)));
  }
}
