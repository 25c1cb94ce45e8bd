package io.servicemanager.auth;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The users and tokens of users.yaml after validation; immutable. An empty directory is valid: no
 * one can log in until an administrator adds someone (secure by default).
 */
public final class UserDirectory {
  /** @param services null: every configured service */
  public record User(String name, String passwordHash, Role role, Set<String> services) {
    public Identity identity() {
      return new Identity(name, role, services);
    }
  }

  /** @param services null: every configured service */
  public record Token(String name, String sha256, Role role, Set<String> services) {
    public Identity identity() {
      return new Identity(Identity.TOKEN_PREFIX + name, role, services);
    }
  }

  public static final UserDirectory EMPTY = new UserDirectory(Map.of(), Map.of());

  private final Map<String, User> users;
  private final Map<String, Token> tokensByDigest;

  public UserDirectory(Map<String, User> users, Map<String, Token> tokensByDigest) {
    this.users = Map.copyOf(users);
    this.tokensByDigest = Map.copyOf(tokensByDigest);
  }

  public Optional<User> user(String name) {
    return Optional.ofNullable(users.get(name));
  }

  /** The token whose SHA-256 (lower-case hex) this is. */
  public Optional<Token> tokenByDigest(String sha256Hex) {
    return Optional.ofNullable(tokensByDigest.get(sha256Hex));
  }

  public int userCount() {
    return users.size();
  }

  public int tokenCount() {
    return tokensByDigest.size();
  }
}
