package dev.addressable.relay.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CursorTest {

  @Test
  void roundTripsThroughItsWireForm() {
    Cursor cursor = new Cursor("AbC-_12xyz9", 42);
    assertEquals("AbC-_12xyz9.42", cursor.toString());
    assertEquals(cursor, Cursor.parse(cursor.toString()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "AbC-_12xyz9.", ".5", "AbC-_12xyz9.-1", "AbC-_12xyz9.1.2",
      "AbC-_12xyz9.99999999999999999", "Ab C12xyz9.1", "AbC-_12xyz9.1 ", "abcdefg.1",
      "abcdefghijklmnopqrstuvwxyz0123456.1", "AbC-_12xyz9.+1", "AbC+_12xyz9.1", "AbCé_12xyz9.1", "AbC-_12xyz9.1a"})
  void refusesAnythingElse(String text) {
    assertThrows(IllegalArgumentException.class, () -> Cursor.parse(text));
  }

  @Test
  void takesEpochsOf8To32CharsAndUpTo16Digits() {
    assertEquals(new Cursor("abcdefgh", 0), Cursor.parse("abcdefgh.0"));
    assertEquals(new Cursor("abcdefghijklmnopqrstuvwxyz012345", 9_999_999_999_999_999L),
        Cursor.parse("abcdefghijklmnopqrstuvwxyz012345.9999999999999999"));
    assertThrows(IllegalArgumentException.class, () -> Cursor.parse(null));
  }
}
