package io.servicemanager.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The journalctl command lines the journal is read with (DESIGN §3, §6), as argument lists, never
 * through a shell. Entries are matched by {@code _SYSTEMD_CGROUP}, the unit's {@code ControlGroup}:
 * that works on a host and for a manager in a cgroup subtree of its own, where journald cannot
 * derive {@code _SYSTEMD_UNIT}; and by the main process's pid for the lines journald could not give a
 * group ({@link UnitMatch}).
 *
 * @param prefix what runs journalctl: empty on a host; {@code nsenter -t PID -m --} to read the
 *     private journal in the mount namespace of a sandboxed manager
 */
public record JournalCommand(List<String> prefix) {
  /** journald's cursor: {@code s=…;i=…;b=…;m=…;t=…;x=…}, fields of hex digits. */
  private static final Pattern CURSOR = Pattern.compile("[a-z]=[0-9a-f]{1,64}(;[a-z]=[0-9a-f]{1,64}){0,7}");
  /** journalctl on PATH, run by the server itself. */
  public static final JournalCommand HOST = new JournalCommand(List.of());

  /**
   * journalctl in the mount namespace of process {@code pid}: a sandboxed systemd's private journal
   * (DESIGN §6), as the demo's and the tests' node JVMs read theirs.
   */
  public static JournalCommand inMountNamespaceOf(long pid) {
    return new JournalCommand(List.of("nsenter", "-t", Long.toString(pid), "-m", "--"));
  }

  public JournalCommand {
    prefix = List.copyOf(prefix);
  }

  public static boolean validCursor(String cursor) {
    return cursor.length() <= 512 && CURSOR.matcher(cursor).matches();
  }

  /** The {@code lines} newest entries matched, or those just before {@code before}; newest first. */
  List<String> tail(UnitMatch match, int lines, String before) {
    List<String> argv = base();
    argv.addAll(List.of("--reverse", "--lines=" + lines));
    if (before != null) {
      argv.add("--after-cursor=" + before); // with --reverse: the entries older than the cursor
    }
    argv.addAll(match.terms());
    return argv;
  }

  /** New entries matched as they come, until stopped. */
  List<String> follow(UnitMatch match) {
    List<String> argv = base();
    argv.addAll(List.of("--follow", "--lines=0"));
    argv.addAll(match.terms());
    return argv;
  }

  /**
   * The newest entry of the whole journal, unmatched: none at all means no journald, or no right to
   * read its files (journalctl exits 0 either way). Cheap: it reads from the end.
   */
  List<String> probe() {
    List<String> argv = base();
    argv.add("--lines=1");
    return argv;
  }

  private List<String> base() {
    List<String> argv = new ArrayList<>(prefix);
    argv.addAll(List.of("journalctl", "--output=json", "--no-pager"));
    return argv;
  }
}
