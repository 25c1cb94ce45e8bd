package io.servicemanager.config;

import java.util.List;

/** A validated value, or every error found (at least one); never both, never neither. */
public record Validated<T>(T value, List<String> errors) {
  public Validated {
    errors = List.copyOf(errors);
    if ((value == null) == errors.isEmpty()) {
      throw new IllegalArgumentException("a value or errors, exactly one of them");
    }
  }

  public static <T> Validated<T> ok(T value) {
    return new Validated<>(value, List.of());
  }

  public static <T> Validated<T> failed(List<String> errors) {
    return new Validated<>(null, errors);
  }

  public boolean isValid() {
    return errors.isEmpty();
  }
}
