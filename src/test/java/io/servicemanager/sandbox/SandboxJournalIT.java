package io.servicemanager.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.testing.SystemdSandboxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A systemd sandbox with its own journald")
class SandboxJournalIT {
  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withJournal()
      .withUnit("talker.service", "[Service]\nType=oneshot\nExecStart=/bin/echo hello-from-the-sandbox-journal\n");

  @Test
  @DisplayName("keeps a unit's output in its private journal, found by the unit's ControlGroup")
  void unitOutputLandsInTheJournal() {
    SystemdSandbox sandbox = systemd.sandbox();
    sandbox.systemctlOk("start", "talker.service");
    String group = sandbox.property("app.slice", "ControlGroup") + "/talker.service";
    assertThat(sandbox.journal("--sync").exitCode()).isZero();

    SystemdSandbox.Result matched = sandbox.journal("--output=cat", "--quiet", "_SYSTEMD_CGROUP=" + group);

    assertThat(matched.exitCode()).as(matched.stderr()).isZero();
    assertThat(matched.stdout()).contains("hello-from-the-sandbox-journal");
    assertThat(sandbox.logFile()).content().doesNotContain("hello-from-the-sandbox-journal");
  }
}
