package io.servicemanager.discover;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.systemd.UnitInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CandidatesTest {
  private static final List<UnitInfo> FOUND = List.of("pzserver", "pz-backup", "minecraft", "systemd-journald",
      "dbus", "getty@tty1", "user@0", "user-runtime-dir@0", "worker@1")
      .stream().map(n -> new UnitInfo(n + ".service", "", "inactive")).toList();

  private static List<String> select(List<String> globs, boolean system, List<String> configured) {
    List<String> errors = new ArrayList<>();
    List<String> units = Candidates.of(globs, system, errors).select(FOUND, configured).stream().map(UnitInfo::unit).toList();
    assertThat(errors).isEmpty();
    return units;
  }

  @Test
  @DisplayName("systemd's own units are left out unless asked for; configured units never come back, by key or by unit name")
  void systemAndConfigured() {
    assertThat(select(List.of(), false, List.of("minecraft.service")))
        .containsExactly("pzserver.service", "pz-backup.service", "worker@1.service");
    assertThat(select(List.of(), true, List.of("minecraft")))
        .contains("systemd-journald.service", "dbus.service", "getty@tty1.service", "user@0.service")
        .doesNotContain("minecraft.service");
  }

  @Test
  @DisplayName("Patterns are globs on the unit's name, with or without .service; several patterns add up")
  void patterns() {
    assertThat(select(List.of("pz*"), false, List.of())).containsExactly("pzserver.service", "pz-backup.service");
    assertThat(select(List.of("pzserver.service", "mine?raft"), false, List.of()))
        .containsExactly("pzserver.service", "minecraft.service");
    assertThat(select(List.of("getty@*"), false, List.of())).as("a pattern does not bring system units in").isEmpty();
  }

  @Test
  @DisplayName("A pattern that is no glob is an error naming it, as are empty ones and ones with a slash")
  void badPatterns() {
    List<String> errors = new ArrayList<>();
    Candidates.of(List.of("pz[", "", "a/b", "ok*"), false, errors);
    assertThat(errors).hasSize(3).anySatisfy(e -> assertThat(e).startsWith("--pattern pz[: not a pattern"))
        .anySatisfy(e -> assertThat(e).startsWith("--pattern a/b:"));
  }
}
