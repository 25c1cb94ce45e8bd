package io.servicemanager.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HistoryCrashTest {
  private static final int KILL_AFTER_ACKS = 150;
  private static final String EOF = "\0eof";

  @TempDir
  Path dir;

  @Test
  @DisplayName("After kill -9 every acknowledged record is in the history, and appending goes on after the torn end")
  void killedWhileAppending(Vertx vertx) throws Exception {
    Path file = dir.resolve("history.jsonl");
    long maxBytes = 16 * 1024; // rotates a few times before the kill, so renames are under test too
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        HistoryCrashChild.class.getName(), file.toString(), Long.toString(maxBytes), "1000000")
        .redirectErrorStream(true)
        .start();
    Set<Integer> acked = new HashSet<>();
    List<String> other = new ArrayList<>();
    try {
      BlockingQueue<String> lines = linesOf(child);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (acked.size() < KILL_AFTER_ACKS) {
        String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertThat(line).as("output of the appending JVM before %d acks; so far %s", KILL_AFTER_ACKS, other)
            .isNotNull().isNotEqualTo(EOF);
        take(line, acked, other);
      }
      child.destroyForcibly();
      // Acks printed before the kill are still in the pipe: they count too.
      for (String line = lines.poll(30, TimeUnit.SECONDS); line != null && !line.equals(EOF);
          line = lines.poll(30, TimeUnit.SECONDS)) {
        take(line, acked, other);
      }
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the killed JVM has exited").isTrue();
      assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    } finally {
      child.destroyForcibly();
    }
    assertThat(other).as("lines other than acks").noneMatch(l -> l.startsWith("failed"));

    List<Path> files = new ArrayList<>();
    files.add(file);
    for (int i = 1; Files.exists(file.resolveSibling("history.jsonl." + i)); i++) {
      files.add(file.resolveSibling("history.jsonl." + i));
    }
    assertThat(files).as("rotated before the kill").hasSizeGreaterThan(1);
    Set<Integer> stored = new HashSet<>();
    int torn = 0;
    for (Path p : files) {
      List<String> content = Files.readAllLines(p);
      for (int i = 0; i < content.size(); i++) {
        Optional<JsonObject> record = parse(content.get(i));
        if (record.isPresent()) {
          stored.add(record.get().getInteger("duration_ms"));
        } else {
          assertThat(p.equals(file) && i == content.size() - 1).as("only the current file's last line may be torn: %s line %d", p, i + 1).isTrue();
          torn++;
        }
      }
    }
    assertThat(stored).containsAll(acked);

    HistoryStore after = new HistoryStore(vertx, file, maxBytes, 1000);
    after.append(HistoryStoreTest.record("after", -1)).await();
    List<JsonObject> newest = after.query(null, 1000).await();
    assertThat(newest.get(0).getString("service")).isEqualTo("after");
    assertThat(newest).hasSize(Math.min(1000, stored.size() + 1));
    List<String> current = Files.readAllLines(file);
    assertThat(current.get(current.size() - 1)).as("the new record is a line of its own")
        .isEqualTo(HistoryStoreTest.record("after", -1).encode());
    assertThat(torn).isLessThanOrEqualTo(1);
  }

  private static void take(String line, Set<Integer> acked, List<String> other) {
    if (line.startsWith("acked ")) {
      acked.add(Integer.parseInt(line.substring("acked ".length()).trim()));
    } else {
      other.add(line);
    }
  }

  private static Optional<JsonObject> parse(String line) {
    try {
      return Optional.of(new JsonObject(line));
    } catch (DecodeException | ClassCastException e) {
      return Optional.empty();
    }
  }

  /** The child's output lines, read on a thread of their own so the test can wait with a timeout. */
  private static BlockingQueue<String> linesOf(Process child) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("read error: " + e);
      }
      lines.add(EOF);
    }, "crash-child-output");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }
}
