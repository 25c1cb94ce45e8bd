package io.servicemanager.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
  private static final Path BASE = Path.of("/etc/service-manager");

  private static JsonObject tls() {
    return new JsonObject().put("cert", "fleet/node.pem").put("key", "fleet/node.key").put("ca", "fleet/ca.pem");
  }

  private static Validated<AppConfig> validate(JsonObject cluster) {
    return ConfigValidator.validateApp(new JsonObject().put("cluster", cluster), BASE);
  }

  @Test
  @DisplayName("Without a cluster key the configuration is standalone")
  void absentIsStandalone() {
    Validated<AppConfig> v = ConfigValidator.validateApp(new JsonObject(), BASE);
    assertThat(v.errors()).isEmpty();
    assertThat(v.value().cluster()).isNull();
  }

  @Test
  @DisplayName("A full cluster key is read with its paths resolved against config.yaml's folder")
  void fullKey() {
    Validated<AppConfig> v = validate(new JsonObject().put("node", "game-1").put("host", "10.0.0.5").put("port", 5801)
        .put("members", new JsonArray().add("10.0.0.6:5801").add("game-3.vpn:5801")).put("dashboard", false)
        .put("eventbus", new JsonObject().put("host", "10.0.0.5").put("port", 5802).put("tls", tls())));
    assertThat(v.errors()).isEmpty();
    ClusterConfig c = v.value().cluster();
    assertThat(c.node()).isEqualTo("game-1");
    assertThat(c.host()).isEqualTo("10.0.0.5");
    assertThat(c.port()).isEqualTo(5801);
    assertThat(c.members()).containsExactly("10.0.0.6:5801", "game-3.vpn:5801");
    assertThat(c.dashboard()).isFalse();
    assertThat(c.eventBusHost()).isEqualTo("10.0.0.5");
    assertThat(c.eventBusPort()).isEqualTo(5802);
    assertThat(c.cert()).isEqualTo(BASE.resolve("fleet/node.pem"));
    assertThat(c.key()).isEqualTo(BASE.resolve("fleet/node.key"));
    assertThat(c.ca()).isEqualTo(BASE.resolve("fleet/ca.pem"));
  }

  @Test
  @DisplayName("Only eventbus.tls is required: the rest defaults (loopback Hazelcast on 5701, a free bus port, a dashboard)")
  void defaults() {
    Validated<AppConfig> v = validate(new JsonObject().put("node", "solo").put("eventbus", new JsonObject().put("tls", tls())));
    assertThat(v.errors()).isEmpty();
    ClusterConfig c = v.value().cluster();
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(5701);
    assertThat(c.members()).isEmpty();
    assertThat(c.eventBusHost()).isEqualTo("127.0.0.1");
    assertThat(c.eventBusPort()).isZero();
    assertThat(c.dashboard()).isTrue();
  }

  @Test
  @DisplayName("Every error in the cluster key is reported at once, each with its path")
  void everyError() {
    Validated<AppConfig> v = validate(new JsonObject().put("node", "game/1").put("port", 70000)
        .put("members", new JsonArray().add("10.0.0.6").add("10.0.0.7:99999")).put("dashboard", "yes").put("colour", 1)
        .put("eventbus", new JsonObject().put("tls", new JsonObject().put("cert", "a.pem"))));
    assertThat(v.errors()).containsExactlyInAnyOrder(
        "cluster.colour: unknown field (known: dashboard, eventbus, host, members, node, port)",
        "cluster.node: must be a node name: letters, digits, '.', '_' or '-', at most 63, starting with a letter or digit (got \"game/1\")",
        "cluster.port: must be a whole number from 1 to 65535 (got 70000)",
        "cluster.members[0]: must be host:port (got \"10.0.0.6\")",
        "cluster.members[1]: port must be 1 to 65535 (got \"10.0.0.7:99999\")",
        "cluster.dashboard: must be true or false (got \"yes\")",
        "cluster.eventbus.tls: missing field key (a PEM file)",
        "cluster.eventbus.tls: missing field ca (a PEM file)");
  }

  @Test
  @DisplayName("The event bus must run over TLS: a cluster key without eventbus.tls is refused")
  void tlsRequired() {
    assertThat(validate(new JsonObject().put("node", "a")).errors()).containsExactly("cluster: missing field eventbus");
    assertThat(validate(new JsonObject().put("node", "a").put("eventbus", new JsonObject().put("port", 1))).errors())
        .containsExactly("cluster.eventbus: missing field tls");
  }

  @Test
  @DisplayName("Without a node name the host name is used, and one that is no valid node name is an error")
  void hostNameDefault() {
    JsonObject cluster = new JsonObject().put("eventbus", new JsonObject().put("tls", tls()));
    Problems problems = new Problems();
    ClusterConfig c = ClusterRules.read(new JsonObject().put("cluster", cluster), BASE, problems, () -> "game-7");
    assertThat(problems.isEmpty()).isTrue();
    assertThat(c.node()).isEqualTo("game-7");
    ClusterRules.read(new JsonObject().put("cluster", cluster), BASE, problems, () -> "bad host");
    assertThat(problems.rest()).containsExactly("cluster.node: missing, and the host name \"bad host\" is no valid node name: "
        + "name this node (letters, digits, '.', '_' or '-')");
  }
}
