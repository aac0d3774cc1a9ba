package dev.addressable.relay.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from /proc (Linux), so capacity is judged on RSS, not heap. */
public final class ProcessMemory {

  private static final Path STATM = Path.of("/proc/self/statm");
  private static final long PAGE = 4096;

  private ProcessMemory() {}

  /** Resident bytes, or 0 where /proc is not there. */
  public static long residentBytes() {
    try {
      String[] fields = Files.readString(STATM).trim().split(" ");
      return Long.parseLong(fields[1]) * PAGE;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
