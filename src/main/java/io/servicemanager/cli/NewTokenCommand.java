package io.servicemanager.cli;

import io.servicemanager.auth.Tokens;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Prints a new API token (for the client) and its SHA-256 (for users.yaml, which never holds the token). */
@Command(name = "new-token", mixinStandardHelpOptions = true,
    description = "Print a new API token and the sha256 to put in users.yaml.")
public final class NewTokenCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    String token = Tokens.newToken();
    System.out.println("token:  " + token);
    System.out.println("sha256: " + Tokens.sha256Hex(token));
    return 0;
  }
}
