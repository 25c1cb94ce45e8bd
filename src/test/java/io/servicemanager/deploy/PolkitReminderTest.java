package io.servicemanager.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PolkitReminderTest {
  private static String services(String... entries) {
    StringBuilder yaml = new StringBuilder("services:\n");
    for (String entry : entries) {
      String[] nameLevel = entry.split("=");
      yaml.append("  ").append(nameLevel[0]).append(":\n    display_name: ").append(nameLevel[0])
          .append("\n    description: d\n    permissions_required: ").append(nameLevel[1])
          .append("\n    status_check_allowed: true\n");
    }
    return yaml.toString();
  }

  @Test
  @DisplayName("A unit added or removed, or a level changed, needs the rule again; a new display name or the .service spelling does not")
  void whenNeeded() {
    String before = services("pz=restart");
    assertThat(PolkitReminder.needed(before, services("pz=restart", "mc=restart"))).isTrue();
    assertThat(PolkitReminder.needed(before, services("pz=all"))).isTrue();
    assertThat(PolkitReminder.needed(before, null)).isTrue();
    assertThat(PolkitReminder.needed(before, services("pz.service=restart"))).isFalse();
    assertThat(PolkitReminder.needed(before, before.replace("display_name: pz", "display_name: Zomboid"))).isFalse();
  }

  @Test
  @DisplayName("The reminder gives the exact polkit-rules command for the config.yaml, as an absolute path")
  void exactCommand() {
    assertThat(PolkitReminder.between(services("pz=restart"), services("pz=stop"), Path.of("/etc/sm/../sm/config.yaml")))
        .hasValue("The units changed: generate the polkit rule again (as root, for the account the manager runs as):\n"
            + "  service-manager polkit-rules --user service-manager --config /etc/sm/config.yaml"
            + " > /etc/polkit-1/rules.d/50-service-manager.rules\n");
    assertThat(PolkitReminder.between(services("pz=restart"), services("pz=restart"), Path.of("c.yaml"))).isEmpty();
  }
}
