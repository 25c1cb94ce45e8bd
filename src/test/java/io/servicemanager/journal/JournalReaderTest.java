package io.servicemanager.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicemanager.systemd.UnitCgroup.MainProcess;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How the reader judges what journalctl did, with stand-ins for journalctl as the command prefix (the
 * prefix's program runs instead, given journalctl's arguments). Real journals: JournalIT.
 */
@DisplayName("Reading the journal")
class JournalReaderTest {
  static final UnitMatch GROUP = new UnitMatch("/g", null);

  static JournalReader reader(String script) {
    return new JournalReader(new JournalCommand(List.of("sh", "-c", script, "stand-in")), Duration.ofSeconds(2));
  }

  @Test
  @DisplayName("no entries and no journal at all (journalctl exits 0, silent) is unavailable, not an empty answer")
  void noJournalAtAll() {
    assertThatThrownBy(() -> reader("exit 0").tail(GROUP, 10, null))
        .isInstanceOf(JournalUnavailable.class).hasMessageContaining("no journald, or no permission");
  }

  @Test
  @DisplayName("journalctl's hint about missing permission is unavailable, even though it exits 0")
  void noPermission() {
    assertThatThrownBy(() -> reader("echo 'Hint: You are currently not seeing messages from other users and the"
        + " system.' >&2").tail(GROUP, 10, null))
        .isInstanceOf(JournalUnavailable.class).hasMessageContaining("not seeing messages");
  }

  @Test
  @DisplayName("a journalctl that fails or hangs is unavailable, the hanging one within the timeout")
  void failsOrHangs() {
    assertThatThrownBy(() -> reader("echo 'Failed to open files' >&2; exit 1").tail(GROUP, 10, null))
        .isInstanceOf(JournalUnavailable.class).hasMessageContaining("exited 1: Failed to open files");
    long started = System.nanoTime();
    assertThatThrownBy(() -> reader("sleep 60").tail(GROUP, 10, null))
        .isInstanceOf(JournalUnavailable.class).hasMessageContaining("did not answer within 2000 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  @DisplayName("an empty match in a journal that has entries is an empty answer")
  void emptyMatch() throws Exception {
    // the tail asks with --reverse and gets nothing; the probe (without --reverse) finds an entry
    String script = "case \"$*\" in *--reverse*) exit 0 ;; *) echo '{\"__CURSOR\":\"s=1\",\"MESSAGE\":\"other\"}' ;; esac";
    assertThat(reader(script).tail(GROUP, 10, null)).isEmpty();
  }

  @Test
  @DisplayName("an entry of the main pid in another process's life is skipped, and an older one read in its place")
  void refusedEntriesAreReplaced() throws Exception {
    UnitMatch match = new UnitMatch("/g", new MainProcess(7, 1_000, 0));
    // newest first, as with --reverse; the second is pid 7 of another unit's group
    String script = "case \"$*\" in"
        + " *--after-cursor=s=c3*) echo '" + entry("s=c4", "/g", "four") + "' ;;"
        + " *--lines=3*) echo '" + entry("s=c1", "/g", "one") + "'; echo '" + entry("s=c2", "/other", "two")
        + "'; echo '" + entry("s=c3", "/g", "three") + "' ;;"
        + " *) exit 9 ;; esac";

    assertThat(reader(script).tail(match, 3, null)).extracting(e -> e.getString("message"))
        .containsExactly("four", "three", "one");
  }

  static String entry(String cursor, String group, String message) {
    return new JsonObject().put("__CURSOR", cursor).put("_SYSTEMD_CGROUP", group).put("_PID", "7")
        .put("__REALTIME_TIMESTAMP", "2000").put("MESSAGE", message).encode();
  }
}
