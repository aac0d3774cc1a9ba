package dev.addressable.relay.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The relay's version, as Maven wrote it into {@code build.properties} when it built the jar. */
public final class BuildInfo {

  private static final String VERSION = load();

  private BuildInfo() {}

  /** The project version, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} if built without Maven. */
  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
