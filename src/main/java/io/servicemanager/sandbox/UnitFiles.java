package io.servicemanager.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/** Unit files in the sandbox's unit directory. */
final class UnitFiles {
  /** systemd's unit name alphabet, one of the unit types a test or the demo would write. */
  private static final Pattern NAME = Pattern.compile(
      "[A-Za-z0-9:_.\\-]+(@[A-Za-z0-9:_.\\-]*)?\\.(service|socket|target|timer|path|slice)");

  private UnitFiles() {
  }

  static String checkName(String fileName) {
    if (fileName == null || !NAME.matcher(fileName).matches()) {
      throw new IllegalArgumentException("not a unit file name: " + fileName);
    }
    return fileName;
  }

  /** Replaces the file in one step, so systemd never reads half a unit. */
  static void write(Path unitDir, String fileName, String content) {
    Path target = unitDir.resolve(checkName(fileName));
    try {
      Files.createDirectories(unitDir);
      Path temp = Files.createTempFile(unitDir, ".write-", ".tmp");
      Files.writeString(temp, content);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new SandboxException("cannot write unit " + target + ": " + e.getMessage(), e);
    }
  }

  static void remove(Path unitDir, String fileName) {
    try {
      Files.deleteIfExists(unitDir.resolve(checkName(fileName)));
    } catch (IOException e) {
      throw new SandboxException("cannot remove unit " + fileName + ": " + e.getMessage(), e);
    }
  }
}
