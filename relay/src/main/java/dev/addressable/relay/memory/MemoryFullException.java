package dev.addressable.relay.memory;

/**
 * The relay's memory budget has no room for what a request asks it to keep; answered as
 * {@code 503 memory_full} with {@code Retry-After}. Nothing of the request was kept.
 */
public final class MemoryFullException extends RuntimeException {

  public MemoryFullException(String what, long limit) {
    super("the relay's memory budget (--max-memory, " + mebibytes(limit) + ") is used up, so it cannot keep "
        + what + " now; retry shortly (receivers are draining what it holds), or raise --max-memory", null, false, false);
  }

  private static String mebibytes(long bytes) {
    return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : bytes + " bytes";
  }
}
