package io.servicemanager.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnitNamesTest {
  @ParameterizedTest(name = "\"{0}\" is a service unit")
  @ValueSource(strings = {"pzserver", "pzserver.service", "sample-service", "worker@1", "worker@1.service",
      "my.app", "a_b:c", "escaped\\x2dname", "getty@tty1", "-leading-dash"})
  @DisplayName("Plain names, an explicit .service, systemd-escaped names and template instances are valid")
  void valid(String key) {
    assertThat(UnitNames.problem(key)).isEmpty();
    assertThat(UnitNames.isValidServiceKey(key)).isTrue();
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @ValueSource(strings = {"../x", "a;b", "a b", "ünï", "", ".service", "foo@", "foo@.service", "@bar", "a@b@c",
      "x.socket", "t.timer", "m.mount", "tab\there", "semi;colon.service", "slash/name", "$(reboot)", "a\u0000b",
      "pz\u0455erver"})
  @DisplayName("Path tricks, shell characters, spaces, non-ASCII, empty names, bare templates and other unit types are refused")
  void invalid(String key) {
    assertThat(UnitNames.problem(key)).isPresent();
    assertThat(UnitNames.isValidServiceKey(key)).isFalse();
  }

  @Test
  @DisplayName("null is refused rather than thrown at")
  void nullKey() {
    assertThat(UnitNames.isValidServiceKey(null)).isFalse();
  }

  @Test
  @DisplayName("A name is refused once the unit name would pass 255 characters, .service included")
  void tooLong() {
    assertThat(UnitNames.problem("a".repeat(255 - ".service".length()))).isEmpty();
    assertThat(UnitNames.problem("a".repeat(247) + ".service")).isEmpty();
    assertThat(UnitNames.problem("a".repeat(256 - ".service".length())))
        .hasValue("longer than 255 characters with .service");
    assertThat(UnitNames.problem("a".repeat(300))).hasValue("longer than 255 characters with .service");
  }

  @Test
  @DisplayName("Each refusal says why in words a user can act on")
  void reasons() {
    assertThat(UnitNames.problem("")).hasValue("a unit name cannot be empty");
    assertThat(UnitNames.problem("a b")).hasValue("character ' ' (space) is not allowed, only A-Z a-z 0-9 : - _ . \\ @");
    assertThat(UnitNames.problem("../x")).hasValue("character '/' is not allowed, only A-Z a-z 0-9 : - _ . \\ @");
    assertThat(UnitNames.problem("ünï")).hasValue("character 'ü' (U+00FC) is not allowed, only A-Z a-z 0-9 : - _ . \\ @");
    assertThat(UnitNames.problem("tab\there")).hasValue("character U+0009 is not allowed, only A-Z a-z 0-9 : - _ . \\ @");
    assertThat(UnitNames.problem("foo@"))
        .hasValue("a template without an instance is not a unit that can run; write name@instance");
    assertThat(UnitNames.problem("@bar")).hasValue("a template needs a name before '@'");
    assertThat(UnitNames.problem("a@b@c")).hasValue("at most one '@' is allowed");
    assertThat(UnitNames.problem("x.socket")).hasValue("only .service units can be managed (got a .socket unit)");
  }

  @Test
  @DisplayName("The unit is the key with .service added when it has no suffix")
  void toUnit() {
    assertThat(UnitNames.toUnit("pzserver")).isEqualTo("pzserver.service");
    assertThat(UnitNames.toUnit("pzserver.service")).isEqualTo("pzserver.service");
    assertThat(UnitNames.toUnit("worker@1")).isEqualTo("worker@1.service");
  }
}
