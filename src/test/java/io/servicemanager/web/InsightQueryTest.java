package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.ErrorCode;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InsightQueryTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  private static MultiMap params(String... pairs) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      map.add(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  @DisplayName("A timeline without parameters covers the last 24 h up to now, 100 transitions at most")
  void timelineDefaults() {
    InsightQuery q = InsightQuery.timeline(params(), NOW).query();
    assertThat(q.to()).isEqualTo(NOW);
    assertThat(q.from()).isEqualTo(NOW.minus(Duration.ofHours(24)));
    assertThat(q.limit()).isEqualTo(100);
  }

  @Test
  @DisplayName("A timeline takes ISO-8601 times and a limit from 1 to 1000")
  void timelineGiven() {
    InsightQuery q = InsightQuery.timeline(params("from", "2026-11-01T00:00:00Z", "to", "2026-11-02T00:00:00Z",
        "limit", "1000"), NOW).query();
    assertThat(q.from()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(q.to()).isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));
    assertThat(q.limit()).isEqualTo(1000);
  }

  @Test
  @DisplayName("Bad times, an empty range and bad limits are refused with their own codes, each naming its parameter")
  void timelineErrors() {
    InsightQuery.Parsed time = InsightQuery.timeline(params("to", "noon"), NOW);
    assertThat(time.code()).isEqualTo(ErrorCode.INVALID_TIME);
    assertThat(time.error()).startsWith("to:");
    InsightQuery.Parsed empty = InsightQuery.timeline(params("from", "2026-11-02T00:00:00Z", "to", "2026-11-02T00:00:00Z"), NOW);
    assertThat(empty.code()).isEqualTo(ErrorCode.INVALID_TIME);
    for (String bad : new String[] {"0", "1001", "-1", "ten", "", "99999999999"}) {
      InsightQuery.Parsed limit = InsightQuery.timeline(params("limit", bad), NOW);
      assertThat(limit.code()).as(bad).isEqualTo(ErrorCode.INVALID_LIMIT);
      assertThat(limit.error()).startsWith("limit:");
    }
    InsightQuery.Parsed both = InsightQuery.timeline(params("from", "x", "limit", "0"), NOW);
    assertThat(both.error()).contains("from:", "limit:");
  }

  @Test
  @DisplayName("Unknown and repeated parameters are bad requests: a typo never changes the answer silently")
  void unknownAndRepeated() {
    assertThat(InsightQuery.timeline(params("lmit", "5"), NOW).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(InsightQuery.window(params("window", "24h", "window", "7d"), NOW).code()).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  @DisplayName("A window is 24h (the default), 7d or 30d, ending now; anything else is invalid_window")
  void windows() {
    assertThat(InsightQuery.window(params(), NOW).query().window()).isEqualTo("24h");
    InsightQuery month = InsightQuery.window(params("window", "30d"), NOW).query();
    assertThat(month.from()).isEqualTo(NOW.minus(Duration.ofDays(30)));
    assertThat(month.to()).isEqualTo(NOW);
    for (String bad : new String[] {"1h", "24H", "", "7"}) {
      InsightQuery.Parsed parsed = InsightQuery.window(params("window", bad), NOW);
      assertThat(parsed.code()).as(bad).isEqualTo(ErrorCode.INVALID_WINDOW);
      assertThat(parsed.error()).startsWith("window:");
    }
  }
}
