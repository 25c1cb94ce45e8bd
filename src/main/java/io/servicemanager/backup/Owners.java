package io.servicemanager.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.stream.Stream;

/**
 * Restored state belongs to the account that owned what it replaces (or its folder): a restore run
 * as root must not leave the manager's account unable to write its own database or history.
 */
final class Owners {
  private Owners() {}

  /** Gives every file under {@code tree} the owner and group of {@code model}; a failure is a warning. */
  static void like(Path model, Path tree, List<String> warnings) {
    try {
      PosixFileAttributes wanted = Files.readAttributes(model, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      UserPrincipal owner = wanted.owner();
      GroupPrincipal group = wanted.group();
      try (Stream<Path> files = Files.walk(tree)) {
        for (Path file : files.toList()) {
          PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
          PosixFileAttributes has = view.readAttributes();
          if (!has.owner().equals(owner)) {
            view.setOwner(owner);
          }
          if (!has.group().equals(group)) {
            view.setGroup(group);
          }
        }
      }
    } catch (IOException | UnsupportedOperationException e) {
      warnings.add("could not give " + tree + " the owner of " + model + " (" + e.getMessage()
          + "): check that the manager's account may write it");
    }
  }
}
