package io.servicemanager.confighistory;

/** The history cannot answer: an unknown revision, a damaged repository, a file it does not keep. */
public final class HistoryException extends RuntimeException {
  public HistoryException(String message) {
    super(message);
  }

  public HistoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
