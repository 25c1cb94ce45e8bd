package io.servicemanager.auth;

import java.util.Locale;
import java.util.Optional;

/** What an identity may do: a viewer sees, an operator may also act within each service's permission level. */
public enum Role {
  VIEWER,
  OPERATOR;

  /** The value as written in users.yaml. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> parse(String value) {
    for (Role r : values()) {
      if (r.value().equals(value)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
