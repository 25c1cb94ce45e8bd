package io.servicemanager.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A configuration file that cannot be used, with every error found in it. {@link #errors()} holds
 * them as found ({@code services.pzserver: missing field description}); the message has one line per
 * error, each prefixed by the file: {@code /etc/sm/services.yaml: services.pzserver: missing field …}.
 */
public final class ConfigException extends RuntimeException {
  /** Where in the file, both counted from 1. */
  public record Position(int line, int column) {}

  private final Path file;
  private final List<String> errors;
  private final Map<String, Position> positions;

  public ConfigException(Path file, List<String> errors) {
    this(file, errors, Map.of());
  }

  /** @param positions by error (a duplicate key: where the repeat is) or by the path an error starts with */
  public ConfigException(Path file, List<String> errors, Map<String, Position> positions) {
    super(format(file, errors));
    this.file = file;
    this.errors = List.copyOf(errors);
    this.positions = Map.copyOf(positions);
  }

  public Path file() {
    return file;
  }

  public List<String> errors() {
    return errors;
  }

  /**
   * Where the file says what {@code error} is about: the key it names, else the nearest mapping
   * around it ({@code services.pzserver} for a field missing from it); empty when not in the file
   * (a value from the environment, a default).
   */
  public Optional<Position> position(String error) {
    Position exact = positions.get(error);
    if (exact != null) {
      return Optional.of(exact);
    }
    int end = error.indexOf(": ");
    for (String path = end < 0 ? "" : error.substring(0, end); !path.isEmpty(); path = parent(path)) {
      if (positions.containsKey(path)) {
        return Optional.of(positions.get(path));
      }
    }
    return Optional.empty();
  }

  private static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
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
