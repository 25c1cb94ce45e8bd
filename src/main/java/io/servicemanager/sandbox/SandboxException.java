package io.servicemanager.sandbox;

/** A sandboxed systemd could not be started, asked or stopped. The message carries systemd's own output. */
public final class SandboxException extends RuntimeException {
  public SandboxException(String message) {
    super(message);
  }

  public SandboxException(String message, Throwable cause) {
    super(message, cause);
  }
}
