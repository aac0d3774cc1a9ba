package dev.addressable.relay.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script shipped with the relay ({@code resources/dev/addressable/relay/cluster/<name>.lua}),
 * with the SHA-1 Redis knows it by, computed here so that it can be called by {@link Scripts}
 * before Redis has confirmed loading it.
 */
public record Script(String name, String source, String sha) {

  /** The script {@code <name>.lua} next to this class; fails at once if it is missing. */
  public static Script resource(String name) {
    try (InputStream in = Script.class.getResourceAsStream(name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("no script " + name + ".lua in the relay's resources");
      }
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Script(name, source, sha1(source));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name + ".lua", e);
    }
  }

  static String sha1(String source) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  @Override
  public String toString() {
    return "Script[" + name + " " + sha.substring(0, 8) + "]";
  }
}
