package io.servicemanager.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A configuration file that cannot be used, with every error found in it. {@link #errors()} holds
 * them as found ({@code services.pzserver: missing field description}); the message has one line per
 * error, each prefixed by the file: {@code /etc/sm/services.yaml: services.pzserver: missing field …}.
 */
public final class ConfigException extends RuntimeException {
  private final Path file;
  private final List<String> errors;

  public ConfigException(Path file, List<String> errors) {
    super(format(file, errors));
    this.file = file;
    this.errors = List.copyOf(errors);
  }

  public Path file() {
    return file;
  }

  public List<String> errors() {
    return errors;
  }

  private static String format(Path file, List<String> errors) {
    StringBuilder text = new StringBuilder();
    for (String error : errors) {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(file).append(": ").append(error);
    }
    return text.toString();
  }
}
