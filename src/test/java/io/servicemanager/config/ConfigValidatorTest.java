package io.servicemanager.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfigValidatorTest {
  private static JsonObject pz() {
    return new JsonObject()
        .put("display_name", "PZServer Game Server")
        .put("description", "Project Zomboid dedicated game server")
        .put("permissions_required", "restart")
        .put("status_check_allowed", true);
  }

  private static JsonObject services(String key, JsonObject fields) {
    return new JsonObject().put("services", new JsonObject().put(key, fields));
  }

  @Test
  @DisplayName("The original example service is valid and becomes pzserver.service with the restart level")
  void originalExample() {
    Validated<ServiceCatalogue> v = ConfigValidator.validateServices(services("pzserver", pz()));
    assertThat(v.errors()).isEmpty();
    ServiceDefinition def = v.value().find("pzserver").orElseThrow();
    assertThat(def.unit()).isEqualTo("pzserver.service");
    assertThat(def.permission()).isEqualTo(Permission.RESTART);
    assertThat(def.statusCheckAllowed()).isTrue();
    assertThat(def.displayName()).isEqualTo("PZServer Game Server");
  }

  @Test
  @DisplayName("A missing field is named with its path")
  void missingField() {
    JsonObject fields = pz();
    fields.remove("display_name");
    assertThat(ConfigValidator.validateServices(services("pzserver", fields)).errors())
        .containsExactly("services.pzserver: missing field display_name");
  }

  @Test
  @DisplayName("An unknown field is an error, so a typo never silently drops a permission")
  void unknownField() {
    assertThat(ConfigValidator.validateServices(services("pzserver", pz().put("colour", "red"))).errors())
        .containsExactly("services.pzserver.colour: unknown field "
            + "(known: confirm_restart, description, display_name, logs_allowed, permissions_required, status_check_allowed)");
    JsonObject typo = pz();
    typo.put("permission_required", typo.remove("permissions_required"));
    assertThat(ConfigValidator.validateServices(services("pzserver", typo)).errors()).containsExactly(
        "services.pzserver.permission_required: unknown field "
            + "(known: confirm_restart, description, display_name, logs_allowed, permissions_required, status_check_allowed)",
        "services.pzserver: missing field permissions_required");
  }

  @Test
  @DisplayName("display_name and description must be non-empty strings")
  void textFields() {
    assertThat(ConfigValidator.validateServices(services("pzserver",
        pz().put("display_name", "  ").put("description", 7))).errors()).containsExactly(
        "services.pzserver.display_name: must be a non-empty string (got \"  \")",
        "services.pzserver.description: must be a non-empty string (got 7)");
  }

  @Test
  @DisplayName("Each permission level is accepted and gives its allowed actions")
  void permissionLevels() {
    for (Permission level : Permission.values()) {
      ServiceDefinition def = ConfigValidator.validateServices(
          services("pzserver", pz().put("permissions_required", level.value()))).value().find("pzserver").orElseThrow();
      assertThat(def.permission()).isEqualTo(level);
    }
  }

  @Test
  @DisplayName("A bad permission value names the allowed values and what was written")
  void badPermission() {
    assertThat(ConfigValidator.validateServices(services("pzserver", pz().put("permissions_required", "restrat"))).errors())
        .containsExactly("services.pzserver.permissions_required: must be one of restart, start, stop, all (got \"restrat\")");
  }

  @Test
  @DisplayName("A flag that is not a boolean is an error")
  void nonBooleanFlag() {
    assertThat(ConfigValidator.validateServices(services("pzserver", pz().put("status_check_allowed", "yes"))).errors())
        .containsExactly("services.pzserver.status_check_allowed: must be true or false (got \"yes\")");
    assertThat(ConfigValidator.validateServices(services("pzserver", pz().put("status_check_allowed", 1))).errors())
        .containsExactly("services.pzserver.status_check_allowed: must be true or false (got 1)");
  }

  @Test
  @DisplayName("logs_allowed and confirm_restart are optional flags, false when left out")
  void optionalFlags() {
    ServiceDefinition plain = ConfigValidator.validateServices(services("pzserver", pz())).value().find("pzserver")
        .orElseThrow();
    assertThat(plain.logsAllowed()).isFalse();
    assertThat(plain.confirmRestart()).isFalse();
    ServiceDefinition both = ConfigValidator.validateServices(services("pzserver",
        pz().put("logs_allowed", true).put("confirm_restart", true))).value().find("pzserver").orElseThrow();
    assertThat(both.logsAllowed()).isTrue();
    assertThat(both.confirmRestart()).isTrue();
    assertThat(ConfigValidator.validateServices(services("pzserver", pz().put("logs_allowed", "yes"))).errors())
        .containsExactly("services.pzserver.logs_allowed: must be true or false (got \"yes\")");
  }

  @Test
  @DisplayName("An invalid unit name is an error naming the key, quoted when it holds characters a path cannot show plainly")
  void invalidUnitName() {
    assertThat(ConfigValidator.validateServices(services("a;b", pz())).errors()).containsExactly(
        "services.\"a;b\": not a valid systemd unit name (character ';' is not allowed, only A-Z a-z 0-9 : - _ . \\ @)");
    assertThat(ConfigValidator.validateServices(services("x.socket", pz())).errors()).containsExactly(
        "services.x.socket: not a valid systemd unit name (only .service units can be managed (got a .socket unit))");
    assertThat(ConfigValidator.validateServices(services("line\nbreak", pz())).errors()).singleElement().asString()
        .startsWith("services.\"line\\u000abreak\": not a valid systemd unit name (character U+000A is not allowed");
  }

  @Test
  @DisplayName("A template instance is a valid key and names its instance unit")
  void templateInstance() {
    ServiceDefinition def = ConfigValidator.validateServices(services("worker@1", pz())).value().find("worker@1").orElseThrow();
    assertThat(def.unit()).isEqualTo("worker@1.service");
  }

  @Test
  @DisplayName("A service that is not a mapping of its four fields is an error")
  void serviceNotAMapping() {
    assertThat(ConfigValidator.validateServices(services("pzserver", null)).errors()).containsExactly(
        "services.pzserver: must be a mapping with display_name, description, permissions_required, "
            + "status_check_allowed (got nothing)");
  }

  @Test
  @DisplayName("Every error in the file is reported at once")
  void allErrorsAtOnce() {
    JsonObject yaml = new JsonObject().put("version", 0).put("extra", 1).put("services", new JsonObject()
        .put("pzserver", pz().put("permissions_required", "restrat"))
        .put("../x", pz())
        .put("other", new JsonObject().put("display_name", "")));
    assertThat(ConfigValidator.validateServices(yaml).errors()).containsExactlyInAnyOrder(
        "extra: unknown field (known: services, version)",
        "version: must be a whole number, 1 or more (absent means 1) (got 0)",
        "services.pzserver.permissions_required: must be one of restart, start, stop, all (got \"restrat\")",
        "services.\"../x\": not a valid systemd unit name (character '/' is not allowed, only A-Z a-z 0-9 : - _ . \\ @)",
        "services.other: missing field description",
        "services.other: missing field permissions_required",
        "services.other: missing field status_check_allowed",
        "services.other.display_name: must be a non-empty string (got \"\")");
  }

  @Test
  @DisplayName("No services, or services that is not a mapping, is an error")
  void noServices() {
    assertThat(ConfigValidator.validateServices(new JsonObject()).errors()).containsExactly("missing field services");
    assertThat(ConfigValidator.validateServices(new JsonObject().put("services", new JsonObject())).errors())
        .containsExactly("services: must contain at least one service");
    assertThat(ConfigValidator.validateServices(new JsonObject().putNull("services")).errors())
        .containsExactly("services: must contain at least one service");
    assertThat(ConfigValidator.validateServices(new JsonObject().put("services", "pzserver")).errors())
        .singleElement().asString().startsWith("services: must be a mapping");
  }

  @Test
  @DisplayName("version: absent or 1 is accepted; 0, a negative number, a fraction or a string is an error")
  void version() {
    assertThat(ConfigValidator.validateServices(services("pzserver", pz())).isValid()).isTrue();
    assertThat(ConfigValidator.validateServices(services("pzserver", pz()).put("version", 1)).isValid()).isTrue();
    assertThat(ConfigValidator.validateApp(new JsonObject().put("version", 1), Path.of("/")).isValid()).isTrue();
    for (Object bad : new Object[] {0, -3, 1.5, "1", "two"}) {
      assertThat(ConfigValidator.validateServices(services("pzserver", pz()).put("version", bad)).errors()).as("%s", bad)
          .containsExactly("version: must be a whole number, 1 or more (absent means 1) (got " + ConfigValidator.show(bad) + ")");
      assertThat(ConfigValidator.validateApp(new JsonObject().put("version", bad), Path.of("/")).errors()).as("%s", bad)
          .containsExactly("version: must be a whole number, 1 or more (absent means 1) (got " + ConfigValidator.show(bad) + ")");
    }
  }

  @Test
  @DisplayName("A file of a newer version than this release knows is one clear error naming both versions; its other keys are not judged")
  void newerVersion() {
    JsonObject newer = services("pzserver", pz().put("restart_window", "02:00")).put("version", 2).put("fleet", true);
    assertThat(ConfigValidator.validateServices(newer).errors()).containsExactly("version: 2 is newer than this Service"
        + " Manager knows (it reads services.yaml up to version 1): the file was written by a newer Service Manager;"
        + " upgrade, or restore a backup");
    assertThat(ConfigValidator.validateApp(new JsonObject().put("version", 7L).put("cluster", 1), Path.of("/")).errors())
        .containsExactly("version: 7 is newer than this Service Manager knows (it reads config.yaml up to version 1):"
            + " the file was written by a newer Service Manager; upgrade, or restore a backup");
    assertThat(ConfigValidator.validateServices(services("pzserver", pz()).put("version", new java.math.BigInteger("99999999999999999999"))).errors())
        .singleElement().asString().startsWith("version: 99999999999999999999 is newer than");
  }

  @Test
  @DisplayName("The optional fields of this round (logs_allowed, confirm_restart) need no migration: a version 1 file with them is valid")
  void optionalFieldsNeedNoMigration() {
    JsonObject v1 = services("pzserver", pz().put("logs_allowed", true).put("confirm_restart", true)).put("version", 1);
    assertThat(ConfigValidator.validateServices(v1).isValid()).isTrue();
    assertThat(ConfigValidator.validateServices(v1).value().all().iterator().next().logsAllowed()).isTrue();
    assertThat(FileVersion.SERVICES.newest()).as("no new version of services.yaml for them").isEqualTo(1);
  }

  @Test
  @DisplayName("config.yaml: every key has a default, and relative paths resolve against the file's folder")
  void appDefaults() {
    AppConfig app = ConfigValidator.validateApp(new JsonObject(), Path.of("/etc/sm")).value();
    assertThat(app).isEqualTo(new AppConfig("127.0.0.1", 8080, "system",
        Path.of("/etc/sm/services.yaml"), Path.of("/etc/data/history.jsonl"))
        .with(b -> b.configHistory = new AppConfig.ConfigHistory(Path.of("/etc/data/config-history"), null)));
  }

  @Test
  @DisplayName("config.yaml: config_history.dir resolves like every path; a wrong type or an unknown key is an error")
  void configHistory() {
    assertThat(ConfigValidator.validateApp(new JsonObject().put("config_history", new JsonObject().put("dir", "state/versions")),
        Path.of("/etc/sm")).value().configHistory().dir()).isEqualTo(Path.of("/etc/sm/state/versions"));
    assertThat(ConfigValidator.validateApp(new JsonObject().put("config_history", new JsonObject().put("dir", 3).put("keep", 5)),
        Path.of("/etc/sm")).errors()).containsExactlyInAnyOrder("config_history.keep: unknown field (known: dir)",
            "config_history.dir: must be a non-empty string (got 3)");
  }

  @Test
  @DisplayName("config.yaml: insight.database resolves like every path; retention_days is 1 to 36500 days")
  void insight() {
    AppConfig app = ConfigValidator.validateApp(new JsonObject().put("insight",
        new JsonObject().put("database", "state/sm.db").put("retention_days", 30)), Path.of("/etc/sm")).value();
    assertThat(app.insight()).isEqualTo(new AppConfig.Insight(Path.of("/etc/sm/state/sm.db"), 30));
    assertThat(ConfigValidator.validateApp(new JsonObject().put("insight",
        new JsonObject().put("retention_days", 0).put("keep", 1)), Path.of("/")).errors()).containsExactlyInAnyOrder(
            "insight.keep: unknown field (known: database, retention_days)",
            "insight.retention_days: must be a whole number from 1 to 36500 (got 0)");
  }

  @Test
  @DisplayName("config.yaml: values as written are kept; absolute paths stay as they are; port 0 asks for a free port")
  void appValues() {
    JsonObject yaml = new JsonObject()
        .put("http", new JsonObject().put("host", "0.0.0.0").put("port", 0))
        .put("systemd", new JsonObject().put("bus", "unix:path=/run/user/1000/bus"))
        .put("services_file", "/srv/sm/services.yaml")
        .put("history_file", "history/ops.jsonl");
    assertThat(ConfigValidator.validateApp(yaml, Path.of("/etc/sm")).value()).isEqualTo(new AppConfig("0.0.0.0", 0,
        "unix:path=/run/user/1000/bus", Path.of("/srv/sm/services.yaml"), Path.of("/etc/sm/history/ops.jsonl"))
        // The users file defaults to the config file's folder, wherever the services file is.
        .with(b -> b.auth = new AppConfig.Auth(Path.of("/etc/sm/users.yaml"), Path.of("/etc/data/secret.key"), false))
        .with(b -> b.configHistory = new AppConfig.ConfigHistory(Path.of("/etc/data/config-history"), null))
        // The database defaults to the state folder, wherever the history file is.
        .with(b -> b.insight = new AppConfig.Insight(Path.of("/etc/data/servicemanager.db"), 90)));
    assertThat(ConfigValidator.validateApp(new JsonObject().put("systemd", new JsonObject().put("bus", "user")),
        Path.of("/")).value().bus()).isEqualTo("user");
    assertThat(ConfigValidator.validateApp(new JsonObject().put("http", new JsonObject().put("port", 65_535)),
        Path.of("/")).value().httpPort()).isEqualTo(65_535);
  }

  @Test
  @DisplayName("config.yaml: auth and http.tls take their paths relative to the file's folder; anonymous is none or viewer")
  void authAndTls() {
    JsonObject yaml = new JsonObject()
        .put("auth", new JsonObject().put("users_file", "people.yaml").put("secret_file", "/var/lib/sm/key")
            .put("anonymous", "viewer"))
        .put("http", new JsonObject().put("tls", new JsonObject().put("cert", "tls/cert.pem").put("key", "tls/key.pem")));
    AppConfig app = ConfigValidator.validateApp(yaml, Path.of("/etc/sm")).value();
    assertThat(app.auth()).isEqualTo(new AppConfig.Auth(Path.of("/etc/sm/people.yaml"), Path.of("/var/lib/sm/key"), true));
    assertThat(app.tls()).isEqualTo(new AppConfig.Tls(Path.of("/etc/sm/tls/cert.pem"), Path.of("/etc/sm/tls/key.pem")));
    assertThat(ConfigValidator.validateApp(new JsonObject(), Path.of("/etc/sm")).value().tls()).as("plain HTTP by default").isNull();
    assertThat(ConfigValidator.validateApp(new JsonObject(), Path.of("/etc/sm")).value().auth().anonymousViewer())
        .as("no anonymous access by default").isFalse();
  }

  @Test
  @DisplayName("config.yaml: a bad anonymous value, an unknown auth key and half a TLS setting are all reported")
  void authErrors() {
    JsonObject yaml = new JsonObject()
        .put("auth", new JsonObject().put("anonymous", "operator").put("user_file", "x"))
        .put("http", new JsonObject().put("tls", new JsonObject().put("cert", "c.pem").put("ca", "x")));
    assertThat(ConfigValidator.validateApp(yaml, Path.of("/")).errors()).containsExactlyInAnyOrder(
        "auth.anonymous: must be one of none, viewer (got \"operator\")",
        "auth.user_file: unknown field (known: anonymous, secret_file, users_file)",
        "http.tls.ca: unknown field (known: cert, key)",
        "http.tls: missing field key (a PEM file)");
  }

  @Test
  @DisplayName("config.yaml: the TCP event-bus bridge is off by default and listens where bridge.tcp_port and tcp_host say")
  void bridge() {
    assertThat(ConfigValidator.validateApp(new JsonObject(), Path.of("/")).value().bridge())
        .isEqualTo(AppConfig.Bridge.OFF).extracting(AppConfig.Bridge::tcpEnabled).isEqualTo(false);
    assertThat(ConfigValidator.validateApp(new JsonObject().put("bridge", new JsonObject().put("tcp_port", 7000)),
        Path.of("/")).value().bridge()).isEqualTo(new AppConfig.Bridge(7000, "127.0.0.1"));
    assertThat(ConfigValidator.validateApp(new JsonObject().put("bridge",
        new JsonObject().put("tcp_port", 0).put("tcp_host", "0.0.0.0")), Path.of("/")).value().bridge())
        .isEqualTo(new AppConfig.Bridge(0, "0.0.0.0"));
  }

  @Test
  @DisplayName("config.yaml: a bridge port out of range or not a number, a blank host, a host without a port and unknown bridge keys are all reported")
  void bridgeErrors() {
    JsonObject yaml = new JsonObject().put("bridge", new JsonObject().put("tcp_port", "7000").put("tcp_host", "")
        .put("tls", true));
    assertThat(ConfigValidator.validateApp(yaml, Path.of("/")).errors()).containsExactlyInAnyOrder(
        "bridge.tcp_port: must be a whole number from 0 to 65535 (got \"7000\")",
        "bridge.tcp_host: must be a non-empty string (got \"\")",
        "bridge.tls: unknown field (known: tcp_host, tcp_port)");
    assertThat(ConfigValidator.validateApp(new JsonObject().put("bridge", new JsonObject().put("tcp_port", 70_000)),
        Path.of("/")).errors()).containsExactly("bridge.tcp_port: must be a whole number from 0 to 65535 (got 70000)");
    assertThat(ConfigValidator.validateApp(new JsonObject().put("bridge", new JsonObject().put("tcp_host", "::1")),
        Path.of("/")).errors()).containsExactly("bridge.tcp_host: needs bridge.tcp_port (without a port there is no TCP bridge)");
    assertThat(ConfigValidator.validateApp(new JsonObject().put("bridge", 7000), Path.of("/")).errors())
        .containsExactly("bridge: must be a mapping (got 7000)");
  }

  @Test
  @DisplayName("config.yaml: a path the file system cannot hold is an error, not a crash")
  void appBadPath() {
    assertThat(ConfigValidator.validateApp(new JsonObject().put("history_file", "a\u0000b"), Path.of("/")).errors())
        .containsExactly("history_file: not a usable path (Nul character not allowed, got \"a\\u0000b\")");
  }

  @Test
  @DisplayName("config.yaml: a port that is negative, a fraction or a string is an error")
  void appPort() {
    for (Object port : new Object[] {-1, 8080.5, "8080", 99_999_999_999L}) {
      assertThat(ConfigValidator.validateApp(new JsonObject().put("http", new JsonObject().put("port", port)),
          Path.of("/")).errors()).singleElement().asString().startsWith("http.port: must be a whole number from 0 to 65535");
    }
  }

  @Test
  @DisplayName("config.yaml: wrong types, a bad port, a bad bus and unknown keys are all reported")
  void appErrors() {
    JsonObject yaml = new JsonObject()
        .put("http", new JsonObject().put("port", 70000).put("hots", "x"))
        .put("systemd", new JsonObject().put("bus", "tcp:host=x"))
        .put("services_file", 3)
        .put("colour", "red");
    assertThat(ConfigValidator.validateApp(yaml, Path.of("/")).errors()).containsExactlyInAnyOrder(
        "colour: unknown field (known: actions, auth, bridge, cluster, config_history, history_file, http, insight, metrics, notifications, services_file, systemd, version)",
        "http.hots: unknown field (known: host, idle_timeout_seconds, instances, port, request_body_timeout_seconds, "
            + "request_head_timeout_seconds, tls, ws_ping_interval_seconds)",
        "http.port: must be a whole number from 0 to 65535 (got 70000)",
        "systemd.bus: must be system, user or a D-Bus address starting with unix: (got \"tcp:host=x\")",
        "services_file: must be a non-empty string (got 3)");
  }

  @Test
  @DisplayName("A catalogue survives the round trip through the services.yaml JSON shape")
  void roundTrip() {
    ServiceCatalogue c = ConfigValidator.validateServices(services("pzserver", pz())).value();
    assertThat(ServiceCatalogue.fromJson(c.toJson())).isEqualTo(c);
  }

  @Test
  @DisplayName("actions: the job timeout (seconds) and the settle time (ms) have defaults and bounds")
  void actionTimings() {
    AppConfig defaults = ConfigValidator.validateApp(new JsonObject(), Path.of("/")).value();
    assertThat(defaults.jobTimeoutMs()).isEqualTo(120_000);
    assertThat(defaults.settleMs()).isEqualTo(500);
    AppConfig set = ConfigValidator.validateApp(new JsonObject().put("actions",
        new JsonObject().put("timeout_seconds", 30).put("settle_ms", 0)), Path.of("/")).value();
    assertThat(set.jobTimeoutMs()).isEqualTo(30_000);
    assertThat(set.settleMs()).isZero();
    assertThat(ConfigValidator.validateApp(new JsonObject().put("actions",
        new JsonObject().put("timeout_seconds", 0).put("settle_ms", "fast").put("retries", 3)), Path.of("/")).errors())
        .containsExactlyInAnyOrder(
            "actions.retries: unknown field (known: settle_ms, timeout_seconds)",
            "actions.timeout_seconds: must be a whole number from 1 to 3600 (got 0)",
            "actions.settle_ms: must be a whole number from 0 to 10000 (got \"fast\")");
  }

  @Test
  @DisplayName("http.instances: absent means one HTTP verticle per core; else a whole number from 1 to 64")
  void httpInstances() {
    AppConfig defaults = ConfigValidator.validateApp(new JsonObject(), Path.of("/")).value();
    assertThat(defaults.httpInstances()).isNull();
    assertThat(defaults.httpInstanceCount()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors()));
    for (int n : new int[] {1, 2, 64}) {
      AppConfig set = ConfigValidator.validateApp(new JsonObject().put("http", new JsonObject().put("instances", n)),
          Path.of("/")).value();
      assertThat(set.httpInstanceCount()).isEqualTo(n);
    }
    for (Object bad : new Object[] {0, -2, 65, 1.5, "4", true}) {
      assertThat(ConfigValidator.validateApp(new JsonObject().put("http", new JsonObject().put("instances", bad)),
          Path.of("/")).errors()).containsExactly(
              "http.instances: must be a whole number from 1 to 64 (got " + ConfigValidator.show(bad) + ")");
    }
  }

  @Test
  @DisplayName("http.*_seconds: the request, idle and /ws ping limits have defaults, bounds, and a ping more often than the idle timeout")
  void httpLimits() {
    assertThat(ConfigValidator.validateApp(new JsonObject(), Path.of("/")).value().limits())
        .isEqualTo(new AppConfig.HttpLimits(10, 30, 60, 30));
    JsonObject set = new JsonObject().put("request_head_timeout_seconds", 5).put("request_body_timeout_seconds", 20)
        .put("idle_timeout_seconds", 120).put("ws_ping_interval_seconds", 15);
    assertThat(ConfigValidator.validateApp(new JsonObject().put("http", set), Path.of("/")).value().limits())
        .isEqualTo(new AppConfig.HttpLimits(5, 20, 120, 15));
    JsonObject bad = new JsonObject().put("request_head_timeout_seconds", 0).put("request_body_timeout_seconds", "9")
        .put("idle_timeout_seconds", 3601).put("ws_ping_interval_seconds", -1);
    assertThat(ConfigValidator.validateApp(new JsonObject().put("http", bad), Path.of("/")).errors())
        .containsExactlyInAnyOrder(
            "http.request_head_timeout_seconds: must be a whole number from 1 to 3600 (got 0)",
            "http.request_body_timeout_seconds: must be a whole number from 1 to 3600 (got \"9\")",
            "http.idle_timeout_seconds: must be a whole number from 1 to 3600 (got 3601)",
            "http.ws_ping_interval_seconds: must be a whole number from 1 to 3600 (got -1)");
    JsonObject slowPing = new JsonObject().put("idle_timeout_seconds", 20).put("ws_ping_interval_seconds", 20);
    assertThat(ConfigValidator.validateApp(new JsonObject().put("http", slowPing), Path.of("/")).errors())
        .containsExactly("http.ws_ping_interval_seconds: must be less than http.idle_timeout_seconds (20), "
            + "or quiet /ws clients are cut off as idle (got 20)");
  }
}
