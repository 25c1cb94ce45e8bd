package io.servicemanager.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HistoryStoreTest {
  @TempDir
  Path dir;

  /** A record shaped like {@link io.servicemanager.action.OperationRecord}; {@code duration_ms} tells them apart. */
  static JsonObject record(String service, int n) {
    return new JsonObject()
        .put("at", "2026-11-28T10:31:02.114Z")
        .put("service", service)
        .put("unit", service + ".service")
        .put("action", "restart")
        .put("user", "alice")
        .put("result", "done")
        .put("systemd_result", "success")
        .put("exit_status", 0)
        .put("duration_ms", n)
        .put("message", "restart done");
  }

  private static List<Integer> numbers(List<JsonObject> records) {
    return records.stream().map(r -> r.getInteger("duration_ms")).collect(Collectors.toList());
  }

  private static List<Integer> range(int fromInclusive, int downToInclusive) {
    return IntStream.rangeClosed(downToInclusive, fromInclusive).map(i -> fromInclusive + downToInclusive - i)
        .boxed().collect(Collectors.toList());
  }

  private HistoryStore store(Vertx vertx) {
    return new HistoryStore(vertx, dir.resolve("history.jsonl"));
  }

  private static void appendAll(HistoryStore store, String service, int from, int to) {
    for (int n = from; n <= to; n++) {
      store.append(record(service, n)).await();
    }
  }

  @Test
  @DisplayName("Records come back newest first")
  void newestFirst(Vertx vertx) {
    HistoryStore store = store(vertx);
    appendAll(store, "pz", 1, 3);
    assertThat(numbers(store.query(null, 10).await())).containsExactly(3, 2, 1);
    assertThat(store.query(null, 10).await().get(0)).isEqualTo(record("pz", 3));
  }

  @Test
  @DisplayName("A service filter returns only that service's records")
  void serviceFilter(Vertx vertx) {
    HistoryStore store = store(vertx);
    store.append(record("pz", 1)).await();
    store.append(record("web", 2)).await();
    store.append(record("pz", 3)).await();
    assertThat(numbers(store.query("pz", 10).await())).containsExactly(3, 1);
    assertThat(numbers(store.query("web", 10).await())).containsExactly(2);
    assertThat(store.query("nothing", 10).await()).isEmpty();
  }

  @Test
  @DisplayName("The limit keeps the newest records, also after a filter")
  void limit(Vertx vertx) {
    HistoryStore store = store(vertx);
    appendAll(store, "pz", 1, 5);
    store.append(record("web", 6)).await();
    assertThat(numbers(store.query(null, 2).await())).containsExactly(6, 5);
    assertThat(numbers(store.query("pz", 2).await())).containsExactly(5, 4);
    assertThat(store.query(null, 0).failed()).isTrue();
  }

  @Test
  @DisplayName("A history that was never written reads as empty")
  void missingFile(Vertx vertx) {
    assertThat(store(vertx).query(null, 10).await()).isEmpty();
  }

  @Test
  @DisplayName("Each record is one compact JSON line ending in a newline")
  void format(Vertx vertx) throws IOException {
    HistoryStore store = store(vertx);
    appendAll(store, "pz", 1, 2);
    String text = Files.readString(store.file());
    assertThat(text).isEqualTo(record("pz", 1).encode() + "\n" + record("pz", 2).encode() + "\n");
    assertThat(text).doesNotContain(": ").doesNotContain(", ");
  }

  @Test
  @DisplayName("An append completes only once its line is in the file")
  void appendIsDurableWhenAcknowledged(Vertx vertx, VertxTestContext test) {
    HistoryStore store = store(vertx);
    JsonObject first = record("pz", 1);
    JsonObject second = record("pz", 2);
    store.append(first).onComplete(test.succeeding(v -> test.verify(() ->
        assertThat(Files.readString(store.file())).isEqualTo(first.encode() + "\n"))))
        .compose(v -> store.append(second))
        .onComplete(test.succeeding(v -> test.verify(() -> {
          assertThat(Files.readAllLines(store.file())).containsExactly(first.encode(), second.encode());
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("The records of one job's callers are written together, in order, all in the file once the append completes")
  void appendAllIsOneDurableWrite(Vertx vertx) throws IOException {
    HistoryStore store = store(vertx);
    store.append(record("pz", 1)).await();
    store.appendAll(List.of(record("pz", 2), record("pz", 3), record("pz", 4))).await();
    assertThat(Files.readAllLines(store.file())).containsExactly(record("pz", 1).encode(), record("pz", 2).encode(),
        record("pz", 3).encode(), record("pz", 4).encode());
    assertThat(numbers(store.query("pz", 10).await())).containsExactly(4, 3, 2, 1);
    store.appendAll(List.of()).await();
    assertThat(store.appendAll(java.util.Arrays.asList(record("pz", 5), null)).failed()).isTrue();
    assertThat(numbers(store.query("pz", 10).await())).as("a bad batch writes nothing").containsExactly(4, 3, 2, 1);
  }

  @Test
  @DisplayName("Appends called together are written in the order they were called")
  void ordered(Vertx vertx) {
    HistoryStore store = store(vertx);
    Promise<Void> all = Promise.promise();
    vertx.runOnContext(v -> {
      List<Future<Void>> appends = new ArrayList<>();
      for (int n = 1; n <= 200; n++) {
        appends.add(store.append(record("pz", n)));
      }
      Future.all(appends).<Void>mapEmpty().onComplete(all);
    });
    all.future().await();
    assertThat(numbers(store.query(null, 1000).await())).isEqualTo(range(200, 1));
  }

  @Test
  @DisplayName("The directory and the file are created on first use, private to their owner")
  void createsDirectories(Vertx vertx) throws IOException {
    Path file = dir.resolve("data/sub/history.jsonl");
    HistoryStore store = new HistoryStore(vertx, file);
    store.open().await();
    assertThat(file).exists().isEmptyFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    store.append(record("pz", 1)).await();
    assertThat(numbers(store.query(null, 10).await())).containsExactly(1);
  }

  @Test
  @DisplayName("A torn last line left by a crash is skipped, and the next record starts on a line of its own")
  void tornLastLine(Vertx vertx) throws IOException {
    Path file = dir.resolve("history.jsonl");
    HistoryStore before = new HistoryStore(vertx, file);
    appendAll(before, "pz", 1, 2);
    before.close().await();
    String torn = record("pz", 3).encode().substring(0, 40);
    Files.writeString(file, torn, StandardOpenOption.APPEND);

    HistoryStore after = new HistoryStore(vertx, file);
    assertThat(numbers(after.query(null, 10).await())).as("read before the next append").containsExactly(2, 1);
    after.append(record("pz", 4)).await();
    assertThat(Files.readAllLines(file))
        .containsExactly(record("pz", 1).encode(), record("pz", 2).encode(), torn, record("pz", 4).encode());
    assertThat(numbers(after.query(null, 10).await())).containsExactly(4, 2, 1);
  }

  @Test
  @DisplayName("Damaged lines are skipped with one warning each, naming the file and the line")
  void damagedLines(Vertx vertx) throws IOException {
    Path file = dir.resolve("history.jsonl");
    Files.writeString(file, String.join("\n", record("pz", 1).encode(), "garbage", "[1]", "42", "null", "",
        "\0\0\0\0", record("pz", 2).encode()) + "\n");
    HistoryStore store = new HistoryStore(vertx, file);
    String log = stderrOf(() -> {
      assertThat(numbers(store.query(null, 10).await())).containsExactly(2, 1);
      assertThat(numbers(store.query(null, 10).await())).as("queried again").containsExactly(2, 1);
    });
    List<String> warnings = log.lines().filter(l -> l.contains("WARN")).collect(Collectors.toList());
    assertThat(warnings).hasSize(5);
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains(file.toString() + " line 2:").contains("garbage"));
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains(" line 7:").contains("\\x00"));
    assertThat(warnings).noneMatch(w -> w.contains(" line 6:"));
  }

  @Test
  @DisplayName("A record longer than the read chunk comes back whole")
  void longRecord(Vertx vertx) {
    HistoryStore store = store(vertx);
    JsonObject big = record("pz", 2).put("message", "x".repeat(3 * ReverseLineReader.CHUNK + 17));
    store.append(record("pz", 1)).await();
    store.append(big).await();
    store.append(record("pz", 3)).await();
    assertThat(store.query(null, 10).await()).containsExactly(record("pz", 3), big, record("pz", 1));
  }

  @Test
  @DisplayName("At the size limit the file rotates, exactly keep old files stay, and queries read across them")
  void rotation(Vertx vertx) throws IOException {
    Path file = dir.resolve("history.jsonl");
    int line = record("pz", 100).encode().length() + 1;
    HistoryStore store = new HistoryStore(vertx, file, 3L * line, 2);
    Files.writeString(dir.resolve("history.jsonl.7"), "left by an earlier keep setting\n");
    appendAll(store, "pz", 101, 120); // files of 3: …, [113-115], [116-118], [119 120]

    assertThat(file.resolveSibling("history.jsonl.1")).exists();
    assertThat(file.resolveSibling("history.jsonl.2")).exists();
    assertThat(file.resolveSibling("history.jsonl.3")).doesNotExist();
    assertThat(file.resolveSibling("history.jsonl.7")).as("beyond keep").doesNotExist();
    for (Path p : List.of(file, file.resolveSibling("history.jsonl.1"), file.resolveSibling("history.jsonl.2"))) {
      assertThat(Files.size(p)).as(p.toString()).isLessThanOrEqualTo(3L * line);
    }
    assertThat(Files.readAllLines(file.resolveSibling("history.jsonl.2")))
        .containsExactly(record("pz", 113).encode(), record("pz", 114).encode(), record("pz", 115).encode());
    assertThat(numbers(store.query(null, 1000).await())).isEqualTo(range(120, 113));
    assertThat(numbers(store.query(null, 4).await())).containsExactly(120, 119, 118, 117);
  }

  @Test
  @DisplayName("With keep 0 a full file is started afresh and nothing older is kept")
  void keepNone(Vertx vertx) {
    Path file = dir.resolve("history.jsonl");
    int line = record("pz", 100).encode().length() + 1;
    HistoryStore store = new HistoryStore(vertx, file, 2L * line, 0);
    appendAll(store, "pz", 101, 105);
    assertThat(file.resolveSibling("history.jsonl.1")).doesNotExist();
    assertThat(numbers(store.query(null, 10).await())).containsExactly(105);
  }

  @Test
  @DisplayName("Queries during appends and rotations see whole records, newest first, with no gaps")
  void queriesDuringRotation(Vertx vertx) {
    int line = record("pz", 1000).encode().length() + 1;
    HistoryStore store = new HistoryStore(vertx, dir.resolve("history.jsonl"), 5L * line, 1000);
    Promise<Void> all = Promise.promise();
    vertx.runOnContext(v -> {
      List<Future<Void>> appends = new ArrayList<>();
      for (int n = 1000; n < 1300; n++) {
        appends.add(store.append(record("pz", n)));
      }
      Future.all(appends).<Void>mapEmpty().onComplete(all);
    });
    int queries = 0;
    while (!all.future().isComplete() || queries < 3) {
      List<Integer> seen = numbers(store.query(null, 1000).await());
      if (!seen.isEmpty()) {
        assertThat(seen).isEqualTo(range(seen.get(0), 1000));
      }
      queries++;
    }
    all.future().await();
    assertThat(numbers(store.query(null, 1000).await())).isEqualTo(range(1299, 1000));
  }

  @Test
  @DisplayName("An append that cannot write fails with a message naming the file and the reason")
  void unwritable(Vertx vertx) throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
    HistoryStore store = new HistoryStore(vertx, notADirectory.resolve("history.jsonl"));
    Future<Void> append = store.append(record("pz", 1));
    assertThatThrownBy(append::await)
        .hasMessageContaining("cannot write history file " + notADirectory.resolve("history.jsonl"))
        .hasMessageContaining("not a directory");
  }

  @Test
  @DisplayName("A full disk fails the append with the system's reason")
  void diskFull(Vertx vertx) {
    assertThat(Path.of("/dev/full")).as("the kernel's always-full device this test writes to").isWritable();
    HistoryStore store = new HistoryStore(vertx, Path.of("/dev/full"));
    assertThatThrownBy(() -> store.append(record("pz", 1)).await())
        .hasMessageContaining("cannot write history file /dev/full: No space left on device");
  }

  @Test
  @DisplayName("After close, appends fail instead of being lost silently")
  void closed(Vertx vertx) {
    HistoryStore store = store(vertx);
    store.append(record("pz", 1)).await();
    store.close().await();
    assertThatThrownBy(() -> store.append(record("pz", 2)).await()).hasMessageContaining("closed");
    assertThat(numbers(store.query(null, 10).await())).containsExactly(1);
  }

  /** What the loggers print to stderr while {@code body} runs (slf4j-simple looks System.err up on each line). */
  private static String stderrOf(Runnable body) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
