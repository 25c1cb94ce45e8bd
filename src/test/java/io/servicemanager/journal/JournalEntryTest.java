package io.servicemanager.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.servicemanager.systemd.UnitCgroup.MainProcess;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("journalctl's JSON lines and command lines")
class JournalEntryTest {
  static final String CURSOR = "s=7b7e00c3d63241c4b54a3725868b37f3;i=15b;b=77b7cdac90bc429daee501591273f74b;"
      + "m=5abcef31a;t=66189d2c79812;x=edfc45f608ab3cc2";

  static JsonObject raw(Object message) {
    return new JsonObject().put("__CURSOR", CURSOR).put("__REALTIME_TIMESTAMP", "1796094434973714")
        .put("PRIORITY", "3").put("_PID", "21737").put("MESSAGE", message).put("_HOSTNAME", "vm");
  }

  /** A line as the reader and the follower take it: the entry, or null for a line that is none. */
  static JsonObject parse(String line) {
    JsonObject raw = JournalEntry.raw(line);
    return raw == null ? null : JournalEntry.of(raw);
  }

  @Test
  @DisplayName("an entry becomes {at, priority, message, pid, cursor}, with journald's time in milliseconds")
  void entry() {
    JsonObject entry = parse(raw("line-4").encode());

    assertThat(entry.fieldNames()).containsExactlyInAnyOrder("at", "priority", "message", "pid", "cursor");
    assertThat(entry.getString("at")).isEqualTo("2026-12-01T03:07:14.973Z");
    assertThat(entry.getInteger("priority")).isEqualTo(3);
    assertThat(entry.getString("message")).isEqualTo("line-4");
    assertThat(entry.getLong("pid")).isEqualTo(21737L);
    assertThat(entry.getString("cursor")).isEqualTo(CURSOR);
  }

  @Test
  @DisplayName("a message over 4096 characters is cut, one given as bytes is decoded, one left out is null")
  void messages() {
    assertThat(parse(raw("x".repeat(10_000)).encode()).getString("message"))
        .hasSize(JournalEntry.MAX_MESSAGE + 1).endsWith("…");
    assertThat(parse(raw(new JsonArray(List.of(104, 105, 255))).encode()).getString("message"))
        .startsWith("hi");
    assertThat(parse(raw(null).encode()).getString("message")).isNull();
  }

  @Test
  @DisplayName("a line that is not a journal entry is skipped")
  void notAnEntry() {
    assertThat(parse("-- No entries --")).isNull();
    assertThat(parse("{\"MESSAGE\":\"no cursor\"}")).isNull();
    assertThat(parse("[1,2]")).isNull();
  }

  @Test
  @DisplayName("only journald's cursor shape is accepted as before: nothing that journalctl could take as an option")
  void cursors() {
    assertThat(JournalCommand.validCursor(CURSOR)).isTrue();
    assertThat(JournalCommand.validCursor("--since=yesterday")).isFalse();
    assertThat(JournalCommand.validCursor("s=abc;i=1 _PID=1")).isFalse();
    assertThat(JournalCommand.validCursor("")).isFalse();
    assertThat(JournalCommand.validCursor("s=" + "a".repeat(600))).isFalse();
  }

  @Test
  @DisplayName("journalctl runs after the configured prefix, as one argument list, matched by the control group"
      + " or the main process")
  void commandLines() {
    JournalCommand sandboxed = new JournalCommand(List.of("nsenter", "-t", "42", "-m", "--"));
    String group = "/sub tree/app.slice/x.service";
    UnitMatch neverStarted = new UnitMatch(group, MainProcess.NONE);
    UnitMatch started = new UnitMatch(group, new MainProcess(4242, 1_000, 0));

    assertThat(sandboxed.tail(neverStarted, 5, CURSOR)).containsExactly("nsenter", "-t", "42", "-m", "--",
        "journalctl", "--output=json", "--no-pager", "--reverse", "--lines=5", "--after-cursor=" + CURSOR,
        "_SYSTEMD_CGROUP=" + group);
    assertThat(JournalCommand.HOST.follow(started)).containsExactly("journalctl", "--output=json", "--no-pager",
        "--follow", "--lines=0", "_SYSTEMD_CGROUP=" + group, "+", "_PID=4242");
  }
}
