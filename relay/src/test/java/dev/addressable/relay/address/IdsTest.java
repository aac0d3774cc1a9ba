package dev.addressable.relay.address;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void clientIdsAre22Base64UrlChars() {
    assertTrue(Ids.isClientId(Ids.newClientId()));
    assertTrue(Ids.isClientId("AZaz09_-AZaz09_-AZaz09"));
    assertFalse(Ids.isClientId(null));
    assertFalse(Ids.isClientId(""));
    assertFalse(Ids.isClientId("AZaz09_-AZaz09_-AZaz0"), "21 chars");
    assertFalse(Ids.isClientId("AZaz09_-AZaz09_-AZaz09A"), "23 chars");
    assertFalse(Ids.isClientId("AZaz09_-AZaz09_-AZaz0+"), "standard base64 '+'");
    assertFalse(Ids.isClientId("AZaz09_-AZaz09_-AZaz0/"), "standard base64 '/'");
    assertFalse(Ids.isClientId("AZaz09_-AZaz09_-AZaz0="), "padding");
    assertFalse(Ids.isClientId("AZaz09_-AZaz09_-AZaz0é"), "not ASCII");
  }

  @Test
  void channelNamesAre1To64SafeChars() {
    assertTrue(Ids.isChannelName(Ids.newChannelName()));
    assertTrue(Ids.isChannelName("a"));
    assertTrue(Ids.isChannelName("x".repeat(64)));
    assertFalse(Ids.isChannelName("x".repeat(65)));
    assertFalse(Ids.isChannelName(""));
    assertFalse(Ids.isChannelName(null));
    assertFalse(Ids.isChannelName("tab 1"));
    assertFalse(Ids.isChannelName("tab.1"));
    assertFalse(Ids.isChannelName("tab/1"));
  }
}
