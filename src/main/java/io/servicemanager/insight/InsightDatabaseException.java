package io.servicemanager.insight;

/**
 * The insight database cannot be used as it is: not a database, damaged, locked by another
 * process, or written by a newer Service Manager. The file has not been changed; the caller
 * reports the message and exits (status 2), since recreating the file would lose its data.
 */
public final class InsightDatabaseException extends Exception {
  public InsightDatabaseException(String message, Throwable cause) {
    super(message, cause);
  }

  public InsightDatabaseException(String message) {
    super(message);
  }
}
