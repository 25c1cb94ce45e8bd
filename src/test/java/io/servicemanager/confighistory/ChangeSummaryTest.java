package io.servicemanager.confighistory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChangeSummaryTest {
  static final String HASH_A = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
  static final String HASH_B = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHU$aGFzaGhhc2hoYXNoaGFzaB";
  static final String DIGEST_A = "a".repeat(64);
  static final String DIGEST_B = "b".repeat(64);

  static String service(String name, String level, boolean visible) {
    return "  " + name + ":\n    display_name: " + name + "\n    description: d\n    permissions_required: " + level
        + "\n    status_check_allowed: " + visible + "\n";
  }

  static Map<String, String> files(String config, String services, String users) {
    Map<String, String> files = new HashMap<>();
    files.put(ConfigFiles.CONFIG, config);
    files.put(ConfigFiles.SERVICES, services);
    files.put(ConfigFiles.USERS, users);
    return files;
  }

  static Map<String, String> services(String services) {
    return files("http:\n  port: 8080\n", "services:\n" + services, "users: {}\n");
  }

  static Map<String, String> users(String users) {
    return files("http:\n  port: 8080\n", "services:\n" + service("pzserver", "restart", true), users);
  }

  @Test
  @DisplayName("Added, removed and changed services are named with their levels, in the issue's own example")
  void services() {
    Map<String, String> before = files(null, "services:\n" + service("pzserver", "restart", true),
        "users:\n  bob:\n    password: \"" + HASH_A + "\"\n    role: viewer\n");
    Map<String, String> after = files(null, "services:\n" + service("pzserver", "all", true)
        + service("minecraft", "restart", true), "users: {}\n");
    assertThat(ChangeSummary.between(before, after))
        .isEqualTo("services: +minecraft (restart); pzserver restart→all; users: -bob");
  }

  @Test
  @DisplayName("A removed service, a hidden one added and a service's visibility and texts changing are each told")
  void serviceDetails() {
    String before = service("a", "start", true) + service("b", "stop", true);
    String after = service("a", "start", false).replace("description: d", "description: e") + service("c", "all", false);
    assertThat(ChangeSummary.between(services(before), services(after)))
        .isEqualTo("services: +c (all, status hidden); -b; a status hidden, description");
  }

  @Test
  @DisplayName("Users added and removed with their roles, role and service-list changes, a new password named but never shown")
  void users() {
    String before = "users:\n  alice:\n    password: \"" + HASH_A + "\"\n    role: viewer\n"
        + "  bob:\n    password: \"" + HASH_A + "\"\n    role: operator\n    services: [pzserver]\n";
    String after = "users:\n  alice:\n    password: \"" + HASH_B + "\"\n    role: operator\n"
        + "  bob:\n    password: \"" + HASH_A + "\"\n    role: operator\n"
        + "  carol:\n    password: \"" + HASH_A + "\"\n    role: viewer\n";
    String summary = ChangeSummary.between(users(before), users(after));
    assertThat(summary).isEqualTo("users: +carol (viewer); alice viewer→operator, new password; bob services [pzserver]→all");
    assertThat(summary).doesNotContain("argon2");
  }

  @Test
  @DisplayName("Tokens added, removed, re-issued and given another role; the digest never appears")
  void tokens() {
    String before = "tokens:\n  bot:\n    sha256: \"" + DIGEST_A + "\"\n    role: viewer\n"
        + "  old:\n    sha256: \"" + DIGEST_B + "\"\n    role: viewer\n";
    String after = "tokens:\n  bot:\n    sha256: \"" + DIGEST_B + "\"\n    role: operator\n"
        + "  ci:\n    sha256: \"" + DIGEST_A + "\"\n    role: operator\n";
    String summary = ChangeSummary.between(users(before), users(after));
    assertThat(summary).isEqualTo("tokens: +ci (operator); -old; bot viewer→operator, new token");
    assertThat(summary).doesNotContain(DIGEST_A).doesNotContain(DIGEST_B);
  }

  @Test
  @DisplayName("config.yaml changes are told key by key; webhooks are only counted, their URLs carry tokens")
  void config() {
    Map<String, String> before = services(service("a", "all", true));
    Map<String, String> after = new HashMap<>(before);
    before.put(ConfigFiles.CONFIG, "http:\n  port: 8080\n  instances: 2\nnotifications:\n"
        + "  - url: https://discord.com/api/webhooks/1/SECRET\n    events: [operation]\n");
    after.put(ConfigFiles.CONFIG, "http:\n  port: 9090\nbridge:\n  tcp_port: 7000\nnotifications:\n"
        + "  - url: https://discord.com/api/webhooks/1/SECRET\n    events: [operation]\n"
        + "  - url: https://hooks.slack.com/services/T/B/OTHER\n    events: [status]\n");
    String summary = ChangeSummary.between(before, after);
    assertThat(summary).isEqualTo("config: +bridge.tcp_port 7000; http.port 8080→9090; notifications 1 webhook→2 webhooks; -http.instances");
    assertThat(summary).doesNotContain("SECRET").doesNotContain("OTHER");
  }

  @Test
  @DisplayName("A change of comments or layout only is told as such; the first version counts what it holds")
  void layoutAndFirst() {
    Map<String, String> before = services(service("a", "all", true));
    Map<String, String> after = new HashMap<>(before);
    after.put(ConfigFiles.SERVICES, "# the game servers\n" + before.get(ConfigFiles.SERVICES));
    assertThat(ChangeSummary.between(before, after)).isEqualTo("services: comments or layout only");
    after.remove(ConfigFiles.CONFIG);
    assertThat(ChangeSummary.between(before, after)).startsWith("config: -http.port; services: comments or layout only");
    assertThat(ChangeSummary.between(null, users("users:\n  a:\n    password: \"" + HASH_A + "\"\n    role: viewer\n"
        + "tokens:\n  t:\n    sha256: \"" + DIGEST_A + "\"\n    role: viewer\n")))
        .isEqualTo("first version: 1 service, 1 user, 1 token");
  }
}
