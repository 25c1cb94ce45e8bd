package io.servicemanager.cli;

import io.servicemanager.auth.PasswordHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The demo's one operator, with a fresh random password each run: the demo needs a login, and a
 * password that is printed, never shipped, cannot become everyone's default.
 */
final class DemoUser {
  static final String NAME = "demo";
  private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

  private DemoUser() {}

  /** Writes a users file with the demo operator; returns the password. */
  static String create(Path usersFile) {
    SecureRandom random = new SecureRandom();
    StringBuilder password = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    try {
      Files.writeString(usersFile, "# Made by `service-manager demo` for this run only.\nusers:\n  " + NAME
          + ":\n    password: \"" + PasswordHash.hash(password.toString().toCharArray()) + "\"\n    role: operator\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return password.toString();
  }
}
