package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.servicemanager.auth.PasswordHash;
import io.servicemanager.auth.UserDirectory;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HttpSharedTest {
  private static final String HASH = PasswordHash.hash("a password".toCharArray());

  private static JsonObject users(String role) {
    return new JsonObject().put("users", new JsonObject().put("alice",
        new JsonObject().put("password", HASH).put("role", role)));
  }

  @Test
  @DisplayName("A published users file is checked once for every HTTP instance: equal copies give the same directory, a change a new one")
  void usersCheckedOnce() {
    HttpShared shared = new HttpShared(null, UserDirectory.EMPTY, new byte[32], false,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    UserDirectory first = shared.users(users("operator"));
    assertThat(first.userCount()).isEqualTo(1);
    // Each instance's consumer gets its own copy of the message.
    assertThat(shared.users(users("operator").copy())).isSameAs(first);
    UserDirectory changed = shared.users(users("viewer"));
    assertThat(changed).isNotSameAs(first);
    assertThat(changed.userCount()).isEqualTo(1);
  }
}
