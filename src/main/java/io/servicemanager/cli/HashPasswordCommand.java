package io.servicemanager.cli;

import io.servicemanager.auth.PasswordHash;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Reads a password from standard input (the first line; never an argument, which ps and shell
 * history would show) and prints its Argon2id hash for users.yaml.
 */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
    description = "Read a password from standard input and print its hash for users.yaml.")
public final class HashPasswordCommand implements Callable<Integer> {
  static final int MIN_LENGTH = 8;

  @Override
  public Integer call() throws IOException {
    if (System.console() != null) {
      char[] typed = System.console().readPassword("Password: ");
      return print(typed == null ? null : new String(typed));
    }
    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    return print(line);
  }

  private static int print(String password) {
    if (password == null || password.length() < MIN_LENGTH) {
      System.err.println("hash-password: give a password of at least " + MIN_LENGTH + " characters on standard input");
      return 1;
    }
    System.out.println(PasswordHash.hash(password.toCharArray()));
    return 0;
  }
}
