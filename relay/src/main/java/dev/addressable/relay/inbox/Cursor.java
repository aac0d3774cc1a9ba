package dev.addressable.relay.inbox;

import dev.addressable.relay.text.Base64Url;

/**
 * A receiver's position in an inbox: the inbox's epoch and the last sequence number it has seen.
 * On the wire it is the opaque string {@code <epoch>.<seq>}. An inbox made anew (after a restart
 * in memory mode, or after its channel expired) has a new epoch, so an old cursor is recognised
 * and answered with {@code missed} rather than silently skipping or repeating messages.
 */
public record Cursor(String epoch, long seq) {

  public Cursor {
    if (seq < 0) {
      throw new IllegalArgumentException("seq < 0: " + seq);
    }
  }

  /**
   * Reads a cursor from its wire form.
   *
   * @throws IllegalArgumentException if {@code text} is not one
   */
  public static Cursor parse(String text) {
    // <epoch>.<seq>: 8-32 of A-Z a-z 0-9 _ -, a dot, 1-16 digits (checked by hand: read per poll)
    int dot = text == null ? -1 : text.indexOf('.');
    if (dot < 8 || dot > 32 || text.length() - dot - 1 < 1 || text.length() - dot - 1 > 16) {
      throw notACursor();
    }
    if (!Base64Url.isValid(text, 0, dot)) {
      throw notACursor();
    }
    long seq = 0;
    for (int i = dot + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw notACursor();
      }
      seq = seq * 10 + (c - '0');
    }
    return new Cursor(text.substring(0, dot), seq);
  }

  private static IllegalArgumentException notACursor() {
    return new IllegalArgumentException("not a cursor: expected the opaque string the relay handed out");
  }

  @Override
  public String toString() {
    return epoch + "." + seq;
  }
}
