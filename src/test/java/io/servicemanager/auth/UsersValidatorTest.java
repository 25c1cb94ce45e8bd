package io.servicemanager.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UsersValidatorTest {
  private static final Set<String> SERVICES = Set.of("pzserver", "backup");
  private static final String HASH = PasswordHash.hash("a password".toCharArray());
  private static final String DIGEST = Tokens.sha256Hex("t");

  @Test
  @DisplayName("Users and tokens with roles and optional service lists; token identities are token:NAME")
  void valid() {
    JsonObject yaml = new JsonObject()
        .put("version", 1)
        .put("users", new JsonObject()
            .put("alice", new JsonObject().put("password", HASH).put("role", "operator").put("services", new JsonArray().add("pzserver")))
            .put("victor", new JsonObject().put("password", HASH).put("role", "viewer")))
        .put("tokens", new JsonObject()
            .put("discord-bot", new JsonObject().put("sha256", DIGEST.toUpperCase()).put("role", "operator")));
    UserDirectory dir = UsersValidator.validate(yaml, SERVICES).value();
    assertThat(dir.user("alice").orElseThrow().identity()).isEqualTo(new Identity("alice", Role.OPERATOR, Set.of("pzserver")));
    assertThat(dir.user("victor").orElseThrow().identity()).isEqualTo(new Identity("victor", Role.VIEWER, null));
    assertThat(dir.tokenByDigest(DIGEST).orElseThrow().identity())
        .as("digests match whatever their case").isEqualTo(new Identity("token:discord-bot", Role.OPERATOR, null));
    assertThat(dir.user("mallory")).isEmpty();
  }

  @Test
  @DisplayName("A users file of a newer version is one clear error, and none of its users is let in")
  void newerVersion() {
    JsonObject yaml = new JsonObject().put("version", 2)
        .put("users", new JsonObject().put("alice", new JsonObject().put("password", HASH).put("role", "admin")));
    assertThat(UsersValidator.validate(yaml, SERVICES).errors()).containsExactly("version: 2 is newer than this Service"
        + " Manager knows (it reads users.yaml up to version 1): the file was written by a newer Service Manager;"
        + " upgrade, or restore a backup");
  }

  @Test
  @DisplayName("An empty or absent file is valid and lets nobody in")
  void emptyIsNobody() {
    for (JsonObject yaml : new JsonObject[] {new JsonObject(), new JsonObject().putNull("users").putNull("tokens")}) {
      UserDirectory dir = UsersValidator.validate(yaml, SERVICES).value();
      assertThat(dir.userCount() + dir.tokenCount()).isZero();
    }
  }

  @Test
  @DisplayName("Every mistake is reported with its path, all at once: unknown keys, types, roles, hashes, digests, services")
  void errors() {
    JsonObject yaml = new JsonObject()
        .put("users", new JsonObject()
            .put("alice", new JsonObject().put("password", "plain text").put("role", "admin")
                .put("services", new JsonArray().add("pzserver").add("pzservr").add(3)).put("rights", "all"))
            .put("bob", new JsonObject().put("role", "viewer").put("services", new JsonArray()))
            .put("bad name", new JsonObject().put("password", HASH).put("role", "viewer"))
            .put("carol", "operator"))
        .put("tokens", new JsonObject()
            .put("bot", new JsonObject().put("sha256", "abc").put("role", "operator"))
            .put("bot2", new JsonObject().put("sha256", DIGEST).put("role", "operator"))
            .put("bot3", new JsonObject().put("sha256", DIGEST).put("role", "viewer")))
        .put("groups", new JsonObject());
    assertThat(UsersValidator.validate(yaml, SERVICES).errors()).containsExactlyInAnyOrder(
        "groups: unknown field (known: tokens, users, version)",
        "users.alice.rights: unknown field (known: password, role, services)",
        "users.alice.password: must be an Argon2id hash as printed by `service-manager hash-password` ($argon2id$v=19$m=…,t=…,p=…$salt$hash)",
        "users.alice.role: must be one of viewer, operator (got \"admin\")",
        "users.alice.services[1]: no configured service is named \"pzservr\"",
        "users.alice.services[2]: must be a service name (got 3)",
        "users.bob: missing field password",
        "users.bob.services: must be a non-empty list of service names; leave it out for every service (got [])",
        "users.\"bad name\": a name must be 1 to 64 letters, digits or . _ @ - and start with a letter or digit",
        "users.carol: must be a mapping with password, role, services (got \"operator\")",
        "tokens.bot.sha256: must be 64 hexadecimal digits, as printed by `service-manager new-token` (got \"abc\")",
        "tokens.bot3.sha256: the same token as tokens.bot2");
  }

  @Test
  @DisplayName("A fleet entry node/name, with * in either part, is accepted unchecked here; a malformed one is an error")
  void fleetEntries() {
    JsonObject yaml = new JsonObject().put("users", new JsonObject().put("alice", new JsonObject().put("password", HASH)
        .put("role", "operator").put("services", new JsonArray().add("pzserver").add("game-*/pzserver").add("web-1/*"))));
    assertThat(UsersValidator.validate(yaml, SERVICES).value().user("alice").orElseThrow().identity().services())
        .containsExactlyInAnyOrder("pzserver", "game-*/pzserver", "web-1/*");
    JsonObject bad = new JsonObject().put("users", new JsonObject().put("alice", new JsonObject().put("password", HASH)
        .put("role", "operator").put("services", new JsonArray().add("game/1/pzserver").add("/pzserver"))));
    assertThat(UsersValidator.validate(bad, SERVICES).errors()).containsExactly(
        "users.alice.services[0]: must be node/name, with * allowed in either part (got \"game/1/pzserver\")",
        "users.alice.services[1]: must be node/name, with * allowed in either part (got \"/pzserver\")");
  }
}
