package dev.addressable.relay.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AsciiTest {

  private static String number(long n) {
    byte[] into = new byte[24];
    int end = Ascii.putNumber(into, 2, n);
    assertEquals(2 + Ascii.digits(n), end, "digits of " + n);
    return new String(into, 2, end - 2, StandardCharsets.US_ASCII);
  }

  @Test
  void writesNumbersAsJavaPrintsThem() {
    for (long n : new long[] {0, 7, 9, 10, 99, 100, 12345, 1_700_000_000_123L, -1, -10, -987, Long.MAX_VALUE,
        Long.MIN_VALUE}) {
      assertEquals(Long.toString(n), number(n));
    }
  }

  @Test
  void writesTextAndBytesAfterEachOther() {
    byte[] into = new byte[16];
    int at = Ascii.put(into, 1, "ab-_");
    at = Ascii.put(into, at, new byte[] {'x', 'y'});
    assertEquals(7, at);
    assertEquals("ab-_xy", new String(into, 1, 6, StandardCharsets.US_ASCII));
    assertEquals(0, into[0]);
    assertEquals(0, into[7]);
  }
}
