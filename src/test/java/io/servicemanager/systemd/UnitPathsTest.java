package io.servicemanager.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UnitPathsTest {
  @Test
  @DisplayName("A unit's object path escapes every byte but letters and digits as _xx, like systemd")
  void escapesLikeSystemd() {
    assertThat(UnitPaths.of("sleeper.service"))
        .isEqualTo("/org/freedesktop/systemd1/unit/sleeper_2eservice");
    assertThat(UnitPaths.of("sample-service.service"))
        .isEqualTo("/org/freedesktop/systemd1/unit/sample_2dservice_2eservice");
    assertThat(UnitPaths.of("worker@1.service"))
        .isEqualTo("/org/freedesktop/systemd1/unit/worker_401_2eservice");
  }

  @Test
  @DisplayName("A leading digit is escaped, later digits are not")
  void leadingDigit() {
    assertThat(UnitPaths.of("1up.service")).isEqualTo("/org/freedesktop/systemd1/unit/_31up_2eservice");
  }
}
