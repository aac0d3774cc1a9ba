package dev.addressable.bench.hostile;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;

/** Names for the ways a connection fails, as the probes and attacks count them. */
final class Failures {

  private Failures() {}

  /** {@code refused}, {@code reset}, {@code closed} (by the server, before an answer), or {@code error}. */
  static String kind(IOException cause) {
    if (cause == null) {
      return "closed";
    }
    if (cause instanceof ConnectException) {
      return "refused";
    }
    if (cause instanceof SocketTimeoutException) {
      return "timeout";
    }
    String m = String.valueOf(cause.getMessage());
    if (m.contains("reset")) {
      return "reset";
    }
    if (m.contains("closed by the server") || m.contains("Broken pipe") || m.contains("Connection: close")) {
      return "closed";
    }
    return "error";
  }

  /** {@code 5xx N} for a server error, else {@code status N} for any other unexpected status. */
  static String status(int status) {
    return (status >= 500 ? "5xx " : "status ") + status;
  }
}
