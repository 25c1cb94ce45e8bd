package io.servicemanager.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnitNamesTest {
  @ParameterizedTest(name = "\"{0}\" is a service unit")
  @ValueSource(strings = {"pzserver", "pzserver.service", "sample-service", "worker@1", "worker@1.service",
      "my.app", "a_b:c", "escaped\\x2dname"})
  @DisplayName("Plain names, an explicit .service and template instances are valid")
  void valid(String key) {
    assertThat(UnitNames.problem(key)).isEmpty();
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @ValueSource(strings = {"../x", "a;b", "a b", "ünï", "", "foo@", "@bar", "a@b@c", "x.socket", "t.timer",
      "tab\there", "semi;colon.service", "slash/name"})
  @DisplayName("Path tricks, shell characters, spaces, non-ASCII, empty names, bare templates and other unit types are refused")
  void invalid(String key) {
    assertThat(UnitNames.problem(key)).isPresent();
  }

  @Test
  @DisplayName("A name is refused once the unit name would pass 255 characters")
  void tooLong() {
    assertThat(UnitNames.problem("a".repeat(255 - ".service".length()))).isEmpty();
    assertThat(UnitNames.problem("a".repeat(256 - ".service".length()))).hasValueSatisfying(p -> assertThat(p).contains("255"));
    assertThat(UnitNames.problem("x".repeat(10 * 1024))).isPresent();
  }

  @Test
  @DisplayName("The unit is the key with .service added when it has no suffix")
  void toUnit() {
    assertThat(UnitNames.toUnit("pzserver")).isEqualTo("pzserver.service");
    assertThat(UnitNames.toUnit("pzserver.service")).isEqualTo("pzserver.service");
    assertThat(UnitNames.toUnit("worker@1")).isEqualTo("worker@1.service");
  }
}
