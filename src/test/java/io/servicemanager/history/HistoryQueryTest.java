package io.servicemanager.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HistoryQueryTest {
  private static MultiMap params(String... nameValue) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < nameValue.length; i += 2) {
      map.add(nameValue[i], nameValue[i + 1]);
    }
    return map;
  }

  @Test
  @DisplayName("Without parameters the query is every service, newest 100")
  void defaults() {
    HistoryQuery.Parsed parsed = HistoryQuery.parse(params());
    assertThat(parsed.valid()).isTrue();
    assertThat(parsed.query()).isEqualTo(new HistoryQuery(null, 100));
  }

  @Test
  @DisplayName("A service and a limit from 1 to 1000 are accepted")
  void valid() {
    assertThat(HistoryQuery.parse(params("service", "pzserver", "limit", "1")).query())
        .isEqualTo(new HistoryQuery("pzserver", 1));
    assertThat(HistoryQuery.parse(params("limit", "1000")).query()).isEqualTo(new HistoryQuery(null, 1000));
    assertThat(HistoryQuery.parse(params("service", "worker@1")).query()).isEqualTo(new HistoryQuery("worker@1", 100));
    assertThat(HistoryQuery.parse(params("service", "s".repeat(255))).valid()).isTrue();
  }

  @ParameterizedTest(name = "limit={0}")
  @ValueSource(strings = {"0", "1001", "abc", "-1", "", "1.5", "+5", " 5", "99999999999"})
  @DisplayName("A limit that is not a whole number from 1 to 1000 is rejected, naming limit and the value")
  void badLimit(String limit) {
    HistoryQuery.Parsed parsed = HistoryQuery.parse(params("limit", limit));
    assertThat(parsed.valid()).isFalse();
    assertThat(parsed.query()).isNull();
    assertThat(parsed.error()).startsWith("limit: ").contains("1 to 1000").contains("\"" + limit + "\"");
  }

  @Test
  @DisplayName("An empty service is rejected rather than read as every service")
  void emptyService() {
    assertThat(HistoryQuery.parse(params("service", "")).error()).startsWith("service: ").contains("empty");
  }

  @Test
  @DisplayName("A service name longer than 255 characters is rejected")
  void longService() {
    assertThat(HistoryQuery.parse(params("service", "s".repeat(256))).error())
        .startsWith("service: ").contains("255").contains("256");
  }

  @Test
  @DisplayName("An unknown parameter is rejected by name, so a typo never widens the answer")
  void unknown() {
    assertThat(HistoryQuery.parse(params("servce", "pzserver")).error())
        .isEqualTo("unknown parameter \"servce\"; use service and limit");
    assertThat(HistoryQuery.parse(params("Limit", "5")).error()).contains("\"Limit\"");
  }

  @Test
  @DisplayName("A parameter given twice is rejected")
  void repeated() {
    assertThat(HistoryQuery.parse(params("limit", "5", "limit", "6")).error()).startsWith("limit: given 2 times");
  }

  @Test
  @DisplayName("Every problem is reported at once")
  void allErrors() {
    String error = HistoryQuery.parse(params("limit", "0", "service", "", "x", "1")).error();
    assertThat(error).contains("limit: ").contains("service: ").contains("\"x\"");
  }

  @Test
  @DisplayName("A query cannot be built with a limit out of range")
  void constructorGuards() {
    assertThatThrownBy(() -> new HistoryQuery(null, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HistoryQuery(null, 1001)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HistoryQuery("", 10)).isInstanceOf(IllegalArgumentException.class);
  }
}
