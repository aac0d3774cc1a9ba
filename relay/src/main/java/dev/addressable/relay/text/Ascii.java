package dev.addressable.relay.text;

import java.nio.charset.StandardCharsets;

/**
 * Writing ASCII into byte arrays, for answers encoded straight into the array they are sent from:
 * each method writes at {@code into[at]} and returns the index after what it wrote. The caller
 * sizes the array first ({@link #digits} counts what a number takes).
 */
public final class Ascii {

  private Ascii() {}

  /** The bytes of {@code text}, which must be all ASCII: for the fixed parts of an answer. */
  public static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** How many bytes {@link #putNumber} writes for {@code n}. */
  public static int digits(long n) {
    int digits = n < 0 ? 2 : 1;
    for (long rest = Math.abs(n / 10); rest > 0; rest /= 10) {
      digits++;
    }
    return digits;
  }

  /** Writes {@code n} in decimal. */
  public static int putNumber(byte[] into, int at, long n) {
    int end = at + digits(n);
    int i = end;
    long rest = n;
    do {
      into[--i] = (byte) ('0' + Math.abs(rest % 10));
      rest /= 10;
    } while (rest != 0);
    if (n < 0) {
      into[at] = '-';
    }
    return end;
  }

  public static int put(byte[] into, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, into, at, bytes.length);
    return at + bytes.length;
  }

  /** Writes {@code text}, which must be all ASCII (the caller checked it, as for ids and names). */
  public static int put(byte[] into, int at, String text) {
    for (int i = 0; i < text.length(); i++) {
      into[at + i] = (byte) text.charAt(i);
    }
    return at + text.length();
  }
}
