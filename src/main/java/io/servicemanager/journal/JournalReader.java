package io.servicemanager.journal;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads the newest entries of a control group with one journalctl run. Blocks: run it off the event
 * loop. A run that takes longer than the timeout is killed, so a stuck journal never holds a caller.
 */
final class JournalReader {
  /** What journalctl says on stderr when it reads nothing useful, though it exits 0. */
  private static final List<String> UNAVAILABLE_HINTS = List.of("no journal files were", "insufficient permissions",
      "not seeing messages");

  private static final int MAX_ROUNDS = 4;

  private final JournalCommand command;
  private final Duration timeout;

  JournalReader(JournalCommand command, Duration timeout) {
    this.command = command;
    this.timeout = timeout;
  }

  JournalCommand command() {
    return command;
  }

  /**
   * Oldest first. An empty answer is checked: no journal at all (or none readable) is unavailable, not
   * empty. Entries the match's pid term brought but {@link UnitMatch#accepts} refuses (that pid in
   * another process's life) are skipped, and as many older ones read in their place, in a few rounds.
   */
  List<JsonObject> tail(UnitMatch match, int lines, String before) throws JournalUnavailable {
    List<JsonObject> entries = new ArrayList<>();
    String from = before;
    for (int round = 0; round < MAX_ROUNDS && entries.size() < lines; round++) {
      int wanted = lines - entries.size();
      Run run = run(command.tail(match, wanted, from), wanted);
      int read = 0;
      for (String line : run.stdout()) {
        JsonObject raw = JournalEntry.raw(line);
        if (raw != null && read < wanted) {
          read++;
          from = raw.getString("__CURSOR");
          if (match.accepts(raw)) {
            entries.add(JournalEntry.of(raw));
          }
        }
      }
      if (read < wanted) {
        break; // the journal holds no older entries
      }
    }
    Collections.reverse(entries);
    if (entries.isEmpty() && run(command.probe(), 1).stdout().isEmpty()) {
      throw new JournalUnavailable("journalctl reads no journal at all: no journald, or no permission to read"
          + " its files (the systemd-journal group)");
    }
    return entries;
  }

  private record Run(List<String> stdout) {}

  private Run run(List<String> argv, int maxLines) throws JournalUnavailable {
    Path err = null;
    Process process = null;
    try {
      err = Files.createTempFile("journalctl", ".err");
      process = new ProcessBuilder(argv)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectError(err.toFile())
          .start();
      Process started = process;
      AtomicBoolean killed = new AtomicBoolean();
      CompletableFuture<?> watchdog = CompletableFuture.runAsync(() -> {
        if (started.isAlive()) {
          killed.set(true);
          // a child of a wrapper (the command prefix) would hold the output open: it goes too
          started.descendants().forEach(ProcessHandle::destroyForcibly);
          started.destroyForcibly();
        }
      }, CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
      List<String> out = new ArrayList<>();
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (out.size() <= maxLines) { // one more than asked never comes; the rest is drained, not kept
            out.add(line);
          }
        }
      }
      boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      watchdog.cancel(false);
      if (killed.get() || !ended) {
        throw new JournalUnavailable("journalctl did not answer within " + timeout.toMillis() + " ms");
      }
      String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0) {
        throw new JournalUnavailable("journalctl exited " + process.exitValue()
            + (stderr.isEmpty() ? "" : ": " + firstLine(stderr)));
      }
      String lower = stderr.toLowerCase(Locale.ROOT);
      if (UNAVAILABLE_HINTS.stream().anyMatch(lower::contains)) {
        throw new JournalUnavailable(firstLine(stderr));
      }
      return new Run(out);
    } catch (IOException e) {
      throw new JournalUnavailable("cannot run journalctl: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JournalUnavailable("interrupted while reading the journal");
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
      }
      if (err != null) {
        try {
          Files.deleteIfExists(err);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    String line = nl < 0 ? text : text.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
