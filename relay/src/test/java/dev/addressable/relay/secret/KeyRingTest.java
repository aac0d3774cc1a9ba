package dev.addressable.relay.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.address.Ids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingTest {

  @TempDir Path dir;

  @Test
  void keyIsStableUnderTheSameSecretAndDiffersUnderAnother() {
    byte[] secret = RelaySecret.loadOrCreate(dir);
    String client = Ids.newClientId();
    assertEquals(new KeyRing(secret).keyFor(client), new KeyRing(RelaySecret.loadOrCreate(dir)).keyFor(client));
    byte[] other = secret.clone();
    other[0] ^= 1;
    assertNotEquals(new KeyRing(secret).keyFor(client), new KeyRing(other).keyFor(client));
  }

  @Test
  void verifiesOnlyTheRightKey() {
    KeyRing keys = new KeyRing(RelaySecret.loadOrCreate(dir));
    String client = Ids.newClientId();
    String key = keys.keyFor(client);
    assertTrue(keys.verify(client, key));
    assertFalse(keys.verify(client, key.substring(1)));
    assertFalse(keys.verify(Ids.newClientId(), key));
    assertFalse(keys.verify(client, null));
    assertFalse(keys.verify(client, ""));
  }

  @Test
  void secretFileIsOwnerOnly() throws Exception {
    RelaySecret.loadOrCreate(dir);
    String perms = java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve(RelaySecret.FILE_NAME)));
    assertEquals("rw-------", perms);
  }

  @Test
  void clientIdsAreLongRandomAndUrlSafe() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = Ids.newClientId();
      assertTrue(Ids.isClientId(id), id);
      assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id); // 22 base64url chars = 132 bits >= 128
      assertTrue(seen.add(id));
    }
    assertTrue(Ids.isChannelName(Ids.newChannelName()));
    assertFalse(Ids.isChannelName("a".repeat(65)));
    assertFalse(Ids.isChannelName("tab one"));
  }
}
