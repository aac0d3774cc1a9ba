package dev.addressable.relay.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories that test harnesses make and clean up after themselves. */
public final class TempDirs {

  private TempDirs() {}

  /** Deletes {@code dir} and everything in it; what cannot be deleted is reported, not thrown. */
  public static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
