package io.servicemanager.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * The key that signs session cookies ({@code auth.secret_file}): 32 random bytes, created with mode
 * 0600 on first run. Replacing the file logs every browser out.
 */
public final class SecretKeyFile {
  static final int KEY_BYTES = 32;

  private SecretKeyFile() {}

  /** Blocking file I/O: call it off the event loop. */
  public static byte[] loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      byte[] key = Files.readAllBytes(file);
      if (key.length < KEY_BYTES) {
        throw new IllegalStateException(file + ": a session key needs at least " + KEY_BYTES
            + " bytes (got " + key.length + "); delete the file to have a new one made");
      }
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read or create the session key: " + e.getMessage(), e);
    }
  }

  private static void create(Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    try {
      // Created with 0600 from the start: there is no moment when others could read it.
      Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(
          java.nio.file.attribute.PosixFilePermission.OWNER_READ,
          java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
    } catch (FileAlreadyExistsException e) {
      return; // another process made it first; use theirs
    }
    Files.write(file, key);
  }
}
