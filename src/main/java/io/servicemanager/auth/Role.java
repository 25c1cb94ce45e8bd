package io.servicemanager.auth;

import io.servicemanager.config.ConfigWords;
import java.util.Optional;

/** What an identity may do: a viewer sees, an operator may also act within each service's permission level. */
public enum Role {
  VIEWER,
  OPERATOR;

  /** The value as written in users.yaml. */
  public String value() {
    return ConfigWords.of(this);
  }

  public static Optional<Role> parse(String value) {
    return ConfigWords.parse(values(), value);
  }
}
