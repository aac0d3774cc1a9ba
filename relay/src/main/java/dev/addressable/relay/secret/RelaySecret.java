package dev.addressable.relay.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The relay's secret, generated on first start and kept in the data directory as
 * {@code relay.secret} (owner-only permissions where the file system has them). Keeping it is what
 * lets a client id and key work again after a restart.
 */
public final class RelaySecret {

  static final String FILE_NAME = "relay.secret";

  private RelaySecret() {}

  /** Reads the secret from {@code dataDir}, creating the directory and the secret if missing. */
  public static byte[] loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDir);
      if (!Files.exists(file)) {
        create(file);
      }
      byte[] secret = Base64.getDecoder().decode(Files.readString(file).trim());
      if (secret.length < 32) {
        throw new IllegalStateException(file + " holds fewer than 32 bytes; delete it to make a new one");
      }
      return secret;
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(file + " is not base64; delete it to make a new one", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    Path tmp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // Not a POSIX file system: the directory's own permissions must protect it.
    }
    Files.writeString(tmp, Base64.getEncoder().encodeToString(secret) + "\n", StandardOpenOption.WRITE);
    try {
      Files.move(tmp, file);
    } catch (FileAlreadyExistsException raced) {
      Files.delete(tmp); // another relay on the same data dir made it first; use theirs
    }
  }
}
