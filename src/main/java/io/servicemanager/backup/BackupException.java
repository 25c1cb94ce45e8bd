package io.servicemanager.backup;

import java.util.List;

/** A backup cannot be made or restored, with every reason; nothing was replaced. */
public final class BackupException extends RuntimeException {
  private final List<String> errors;

  public BackupException(List<String> errors) {
    super(String.join("\n", errors));
    this.errors = List.copyOf(errors);
  }

  public BackupException(String error, Throwable cause) {
    super(error, cause);
    this.errors = List.of(error);
  }

  public List<String> errors() {
    return errors;
  }
}
