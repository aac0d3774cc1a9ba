package dev.addressable.relay.inbox;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A receiver's position in an inbox: the inbox's epoch and the last sequence number it has seen.
 * On the wire it is the opaque string {@code <epoch>.<seq>}. An inbox made anew (after a restart
 * in memory mode, or after its channel expired) has a new epoch, so an old cursor is recognised
 * and answered with {@code missed} rather than silently skipping or repeating messages.
 */
public record Cursor(String epoch, long seq) {

  private static final Pattern FORM = Pattern.compile("([A-Za-z0-9_-]{8,32})\\.(\\d{1,16})");

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
    Matcher m = text == null ? null : FORM.matcher(text);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("not a cursor: expected the opaque string the relay handed out");
    }
    return new Cursor(m.group(1), Long.parseLong(m.group(2)));
  }

  @Override
  public String toString() {
    return epoch + "." + seq;
  }
}
