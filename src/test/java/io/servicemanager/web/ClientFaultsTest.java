package io.servicemanager.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClientFaultsTest {
  final List<String> lines = new ArrayList<>();
  final AtomicLong now = new AtomicLong(1_000_000);
  final ClientFaults faults = new ClientFaults(lines::add, now::get);

  @Test
  @DisplayName("At most PER_INTERVAL lines per interval, however many faults come")
  void bounded() {
    for (int i = 0; i < 10_000; i++) {
      faults.log("fault " + i);
    }
    assertThat(lines).hasSize(ClientFaults.PER_INTERVAL).startsWith("fault 0").endsWith("fault 9");
  }

  @Test
  @DisplayName("The next interval logs again, first saying how many were left out")
  void countsTheSuppressed() {
    for (int i = 0; i < 25; i++) {
      faults.log("fault " + i);
    }
    now.addAndGet(ClientFaults.INTERVAL_MS);
    faults.log("later");
    assertThat(lines).hasSize(ClientFaults.PER_INTERVAL + 2);
    assertThat(lines.get(ClientFaults.PER_INTERVAL)).startsWith("15 more client errors in the last 60 s");
    assertThat(lines).last().isEqualTo("later");
  }

  @Test
  @DisplayName("Nothing left out, nothing to report")
  void quietInterval() {
    faults.log("one");
    now.addAndGet(ClientFaults.INTERVAL_MS * 3);
    faults.log("two");
    assertThat(lines).containsExactly("one", "two");
  }

  @Test
  @DisplayName("A budget of its own (refused credentials) names its faults in the count line")
  void namedBudget() {
    ClientFaults auth = new ClientFaults(lines::add, now::get, "refused credentials");
    for (int i = 0; i < ClientFaults.PER_INTERVAL + 3; i++) {
      auth.log("failed login " + i);
    }
    faults.log("a malformed request, on the other budget");
    now.addAndGet(ClientFaults.INTERVAL_MS);
    auth.log("later");
    assertThat(lines).contains("a malformed request, on the other budget")
        .contains("3 more refused credentials in the last 60 s were not logged");
  }

  @Test
  @DisplayName("A client's value in a log line or message is quoted, cut at 64 characters and kept on one line")
  void quoted() {
    assertThat(io.servicemanager.ErrorCode.quote("a\nforged \"line\"\\")).isEqualTo("\"a\\u000aforged \\\"line\\\"\\\\\"");
    assertThat(io.servicemanager.ErrorCode.quote("x".repeat(10_000))).hasSize(64 + 3);
  }
}
