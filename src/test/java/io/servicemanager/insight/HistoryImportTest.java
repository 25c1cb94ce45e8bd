package io.servicemanager.insight;

import static io.servicemanager.insight.OperationStoreTest.T0;
import static io.servicemanager.insight.OperationStoreTest.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.insight.HistoryImport.Report;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HistoryImportTest {
  @TempDir
  Path dir;
  Path history;
  InsightStore store;
  OperationStore operations;

  @BeforeEach
  void open(Vertx vertx) {
    history = dir.resolve("data/history.jsonl");
    store = InsightStore.open(vertx, dir.resolve("data/servicemanager.db")).await();
    operations = new OperationStore(store);
  }

  @AfterEach
  void close() {
    store.close().await();
  }

  private static String line(int n) {
    return record("pz", "alice", n, T0.plusSeconds(n)).encode() + "\n";
  }

  private static void write(Path file, String... lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("", lines), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private List<Long> numbers() {
    return operations.query(OperationQuery.newest(1000)).await().entries().stream()
        .map(r -> r.getLong("duration_ms")).toList();
  }

  @Test
  @DisplayName("The current and rotated history files are imported, every record exactly as it was")
  void importsAll() throws IOException {
    write(history.resolveSibling("history.jsonl.2"), line(1), line(2));
    write(history.resolveSibling("history.jsonl.1"), line(3));
    write(history, line(4), line(5));
    write(history.resolveSibling("history.jsonl.old"), line(99)); // not one of the rotated names
    Report report = HistoryImport.run(store, history).await();
    assertThat(report).isEqualTo(new Report(3, 5, 5, 0, 0));
    assertThat(numbers()).containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(operations.query(OperationQuery.newest(1)).await().entries())
        .containsExactly(record("pz", "alice", 5, T0.plusSeconds(5)));
  }

  @Test
  @DisplayName("Running the import again imports nothing new, even after a rotation renamed the files")
  void idempotent() throws IOException {
    write(history, line(1), line(2));
    assertThat(HistoryImport.run(store, history).await().imported()).isEqualTo(2);
    Files.move(history, history.resolveSibling("history.jsonl.1"));
    write(history, line(3));
    Report again = HistoryImport.run(store, history).await();
    assertThat(again).isEqualTo(new Report(2, 3, 1, 2, 0));
    assertThat(HistoryImport.run(store, history).await()).isEqualTo(new Report(2, 3, 0, 3, 0));
    assertThat(numbers()).containsExactly(3L, 2L, 1L);
  }

  @Test
  @DisplayName("Torn and damaged lines are skipped and counted; the records around them are imported")
  void tornLines() throws IOException {
    String torn = line(3).substring(0, 40);
    write(history, line(1), "not json at all\n", "\n", new JsonObject().put("service", "pz").encode() + "\n", line(2),
        torn);
    Files.write(history, new byte[] {'\n', (byte) 0xff, (byte) 0xfe, '\n'}, StandardOpenOption.APPEND);
    Report report = HistoryImport.run(store, history).await();
    assertThat(report).isEqualTo(new Report(1, 6, 2, 0, 4));
    assertThat(numbers()).containsExactly(2L, 1L);
  }

  @Test
  @DisplayName("Records older than the retention keeps are left out and counted, so a later start does not bring them back")
  void leavesOutExpired() throws IOException {
    write(history, line(1), line(2), line(3));
    Report report = HistoryImport.run(store, history, T0.plusSeconds(2)).await();
    assertThat(report).isEqualTo(new Report(1, 3, 2, 0, 0, 1));
    assertThat(numbers()).containsExactly(3L, 2L);
  }

  @Test
  @DisplayName("A preview tells what an import would bring in, and writes nothing: before and after the import")
  void preview() throws IOException {
    write(history.resolveSibling("history.jsonl.1"), line(1), line(2));
    write(history, line(2), line(3), "torn\n", line(4));
    Instant all = Instant.EPOCH;
    Report pending = new Report(2, 6, 3, 1, 1, 1);
    assertThat(HistoryImport.preview(history, T0.plusSeconds(2))).as("no database yet").isEqualTo(pending);
    assertThat(HistoryImport.preview(store, history, T0.plusSeconds(2)).await()).isEqualTo(pending);
    assertThat(numbers()).as("a preview writes nothing").isEmpty();
    assertThat(HistoryImport.run(store, history, T0.plusSeconds(2)).await()).isEqualTo(pending);
    assertThat(HistoryImport.preview(store, history, all).await().imported()).as("only the expired one is left").isEqualTo(1);
    HistoryImport.run(store, history, all).await();
    assertThat(HistoryImport.preview(store, history, all).await()).isEqualTo(new Report(2, 6, 0, 5, 1, 0));
  }

  @Test
  @DisplayName("Without a history file there is nothing to import, and no error")
  void nothing() {
    assertThat(HistoryImport.run(store, history).await()).isEqualTo(new Report(0, 0, 0, 0, 0));
  }

  @Test
  @DisplayName("Each run leaves a row per file in the imports table")
  void recorded() throws IOException {
    write(history, line(1), "torn");
    HistoryImport.run(store, history).await();
    List<String> rows = store.read(c -> {
      try (var s = c.createStatement();
          var rs = s.executeQuery("SELECT file, lines, imported, duplicates, torn FROM imports")) {
        rs.next();
        return List.of(rs.getString(1), rs.getLong(2) + "/" + rs.getLong(3) + "/" + rs.getLong(4) + "/" + rs.getLong(5));
      }
    }).await();
    assertThat(rows).containsExactly(history.toString(), "2/1/0/1");
  }
}
