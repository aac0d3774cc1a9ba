package dev.addressable.relay.inbox;

import java.util.Arrays;

/**
 * A growable ring of messages with O(1) access by position, so a read can jump straight to the
 * first message after a cursor. Not thread-safe: {@link Inbox} guards it.
 */
final class MessageRing {

  private Message[] items = new Message[8];
  private int head;
  private int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  Message first() {
    return items[head];
  }

  /** The message {@code index} places after the oldest. */
  Message get(int index) {
    return items[(head + index) & (items.length - 1)];
  }

  void addLast(Message message) {
    if (size == items.length) {
      grow();
    }
    items[(head + size) & (items.length - 1)] = message;
    size++;
  }

  Message removeFirst() {
    Message first = items[head];
    items[head] = null;
    head = (head + 1) & (items.length - 1);
    size--;
    return first;
  }

  private void grow() {
    Message[] bigger = new Message[items.length * 2];
    for (int i = 0; i < size; i++) {
      bigger[i] = get(i);
    }
    Arrays.fill(items, null);
    items = bigger;
    head = 0;
  }
}
