package io.servicemanager.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicemanager.insight.OperationQuery.Cursor;
import io.servicemanager.insight.OperationQuery.Page;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OperationStoreTest {
  static final Instant T0 = Instant.parse("2026-11-28T10:31:02.114Z");

  @TempDir
  Path dir;
  InsightStore store;
  OperationStore operations;

  @BeforeEach
  void open(Vertx vertx) {
    store = InsightStore.open(vertx, dir.resolve("servicemanager.db")).await();
    operations = new OperationStore(store);
  }

  @AfterEach
  void close() {
    store.close().await();
  }

  /** Shaped like io.servicemanager.action.OperationRecord; {@code duration_ms} tells records apart. */
  static JsonObject record(String service, String user, int n, Instant at) {
    return new JsonObject()
        .put("at", io.servicemanager.status.ServiceView.iso(at))
        .put("service", service)
        .put("unit", service + ".service")
        .put("action", "restart")
        .put("user", user)
        .put("result", "done")
        .put("systemd_result", "success")
        .put("exit_status", 0L)
        .put("duration_ms", (long) n)
        .put("message", "restart done");
  }

  private static List<Long> numbers(Page page) {
    return page.entries().stream().map(r -> r.getLong("duration_ms")).toList();
  }

  private void append(String service, String user, int from, int to) {
    for (int n = from; n <= to; n++) {
      operations.append(record(service, user, n, T0.plusSeconds(n))).await();
    }
  }

  @Test
  @DisplayName("A record comes back exactly as it was appended, the newest first")
  void roundTrip() {
    append("pz", "alice", 1, 3);
    Page page = operations.query(OperationQuery.newest(10)).await();
    assertThat(numbers(page)).containsExactly(3L, 2L, 1L);
    assertThat(page.entries().get(0)).isEqualTo(record("pz", "alice", 3, T0.plusSeconds(3)));
    assertThat(page.entries().get(0).fieldNames())
        .containsExactly("at", "service", "unit", "action", "user", "result", "systemd_result", "exit_status",
            "duration_ms", "message");
    assertThat(page.next()).isNull();
  }

  @Test
  @DisplayName("A hidden service's record keeps its null systemd_result and exit_status")
  void nullsRoundTrip() {
    JsonObject redacted = record("secret", "bob", 1, T0).putNull("systemd_result").putNull("exit_status");
    operations.append(redacted).await();
    assertThat(operations.query(OperationQuery.newest(1)).await().entries()).containsExactly(redacted);
  }

  @Test
  @DisplayName("An append has committed when its future completes: another connection sees it at once")
  void committedBeforeCompletion() throws Exception {
    operations.append(record("pz", "alice", 7, T0)).await();
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + store.file());
        Statement s = other.createStatement();
        ResultSet rs = s.executeQuery("SELECT duration_ms FROM operations")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(7);
    }
  }

  @Test
  @DisplayName("Appends asked for at once are written in the order they were asked for")
  void ordered() {
    List<Future<Void>> pending = new ArrayList<>();
    for (int n = 1; n <= 50; n++) {
      pending.add(operations.append(record("pz", "alice", n, T0))); // one millisecond for all
    }
    Future.all(pending).await();
    List<Long> newestFirst = numbers(operations.query(OperationQuery.newest(100)).await());
    assertThat(newestFirst).hasSize(50).isSortedAccordingTo((a, b) -> Long.compare(b, a));
  }

  @Test
  @DisplayName("A record missing a field is refused, naming the field, and nothing is written")
  void refusesBadRecord() {
    assertThatThrownBy(() -> operations.append(record("pz", "alice", 1, T0).put("user", 5)).await())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user");
    assertThatThrownBy(() -> operations.append(record("pz", "alice", 1, T0).put("at", "yesterday")).await())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at");
    assertThatThrownBy(() -> operations.append(record("pz", "alice", 1, T0).put("duration_ms", "5")).await())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration_ms");
    assertThat(operations.query(OperationQuery.newest(10)).await().entries()).isEmpty();
  }

  @Test
  @DisplayName("The records of one job's callers are written together, in order; one bad record writes none of them")
  void appendsAllOrNone() {
    operations.appendAll(List.of(record("pz", "alice", 1, T0), record("pz", "bob", 2, T0))).await();
    assertThat(operations.query(OperationQuery.newest(10)).await().entries())
        .extracting(r -> r.getString("user")).containsExactly("bob", "alice");
    assertThatThrownBy(() -> operations.appendAll(List.of(record("pz", "carol", 3, T0),
        record("pz", "dave", 4, T0).putNull("message"))).await())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("message");
    assertThat(operations.query(OperationQuery.newest(10)).await().entries()).hasSize(2);
  }

  @Test
  @DisplayName("Filters by service and by user, and together")
  void filters() {
    append("pz", "alice", 1, 2);
    append("mc", "bob", 3, 4);
    append("pz", "bob", 5, 6);
    assertThat(numbers(operations.query(new OperationQuery(null, "pz", null, null, 10)).await()))
        .containsExactly(6L, 5L, 2L, 1L);
    assertThat(numbers(operations.query(new OperationQuery(null, null, "bob", null, 10)).await()))
        .containsExactly(6L, 5L, 4L, 3L);
    assertThat(numbers(operations.query(new OperationQuery(null, "pz", "bob", null, 10)).await()))
        .containsExactly(6L, 5L);
  }

  @Test
  @DisplayName("A caller sees only the services on their list; one outside it has no records, even when asked by name")
  void visibility() {
    append("pz", "alice", 1, 2);
    append("mc", "bob", 3, 4);
    assertThat(numbers(operations.query(new OperationQuery(Set.of("mc", "other"), null, null, null, 10)).await()))
        .containsExactly(4L, 3L);
    assertThat(operations.query(new OperationQuery(Set.of("mc"), "pz", null, null, 10)).await().entries()).isEmpty();
    assertThat(operations.query(new OperationQuery(Set.of(), null, null, null, 10)).await().entries()).isEmpty();
  }

  @Test
  @DisplayName("Pages follow each other without a gap or a repeat, even through records of the same millisecond")
  void paging() {
    for (int n = 1; n <= 250; n++) {
      operations.append(record("pz", "alice", n, T0.plusSeconds(n / 7))).await(); // runs of one instant
    }
    List<Long> seen = new ArrayList<>();
    Cursor before = null;
    int pages = 0;
    do {
      Page page = operations.query(new OperationQuery(null, "pz", null, before, 100)).await();
      seen.addAll(numbers(page));
      before = page.next() == null ? null : Cursor.parse(page.next());
      pages++;
    } while (before != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(250).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
  }

  @Test
  @DisplayName("A page that ends exactly at the last record says no page follows")
  void exactLastPage() {
    append("pz", "alice", 1, 4);
    Page first = operations.query(OperationQuery.newest(2)).await();
    assertThat(first.next()).isNotNull();
    Page second = operations.query(new OperationQuery(null, null, null, Cursor.parse(first.next()), 2)).await();
    assertThat(numbers(second)).containsExactly(2L, 1L);
    assertThat(second.next()).isNull();
  }

  @Test
  @DisplayName("A cursor token that no page handed out is refused")
  void badCursor() {
    assertThatThrownBy(() -> Cursor.parse("12")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before");
    assertThatThrownBy(() -> Cursor.parse("a.b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cursor.parse("99999999999999999999.1")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Cursor.parse(new Cursor(1732789862114L, 42).token())).isEqualTo(new Cursor(1732789862114L, 42));
  }

  @Test
  @DisplayName("A limit outside 1 to 1000 is refused")
  void limits() {
    assertThatThrownBy(() -> OperationQuery.newest(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OperationQuery.newest(1001)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("Records survive closing and opening the database again")
  void survivesReopen(Vertx vertx) {
    append("pz", "alice", 1, 2);
    store.close().await();
    store = InsightStore.open(vertx, dir.resolve("servicemanager.db")).await();
    operations = new OperationStore(store);
    assertThat(numbers(operations.query(OperationQuery.newest(10)).await())).containsExactly(2L, 1L);
  }

  @Test
  @DisplayName("JDBC runs on the store's own threads, never on an event loop, and a closed store refuses work")
  void threads() {
    assertThat(store.write(c -> Thread.currentThread().getName() + "/" + Context.isOnEventLoopThread()).await())
        .startsWith("insight-write-").endsWith("/false");
    assertThat(store.read(c -> Thread.currentThread().getName() + "/" + Context.isOnEventLoopThread()).await())
        .startsWith("insight-read-").endsWith("/false");
    store.close().await();
    assertThatThrownBy(() -> operations.append(record("pz", "alice", 1, T0)).await())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  @DisplayName("A write that fails leaves nothing of itself behind")
  void failedWriteRollsBack() {
    assertThatThrownBy(() -> store.write(c -> {
      OperationStore.insert(c, OperationRow.of(record("pz", "alice", 1, T0)), null);
      throw new IllegalStateException("boom");
    }).await()).hasMessage("boom");
    assertThat(operations.query(OperationQuery.newest(10)).await().entries()).isEmpty();
  }

  @Test
  @DisplayName("An insert the database refuses fails its append, writes nothing, and the next append goes in as usual")
  void failedInsertThenNext() throws Exception {
    append("pz", "alice", 1, 1);
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + store.file());
        Statement s = other.createStatement()) {
      s.execute("CREATE TRIGGER refuse_mallory BEFORE INSERT ON operations WHEN NEW.user = 'mallory'"
          + " BEGIN SELECT RAISE(ABORT, 'mallory is refused'); END");
    }
    assertThatThrownBy(() -> operations.appendAll(List.of(record("pz", "bob", 2, T0.plusSeconds(2)),
        record("pz", "mallory", 3, T0.plusSeconds(3)))).await()).hasMessageContaining("mallory is refused");
    append("pz", "alice", 4, 5);
    assertThat(numbers(operations.query(OperationQuery.newest(10)).await())).containsExactly(5L, 4L, 1L);
  }

  @Test
  @DisplayName("Appends that wait while the writer is busy go in with one commit; a refused one fails alone, the others are written")
  void groupCommit() throws Exception {
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + store.file());
        Statement s = other.createStatement()) {
      s.execute("CREATE TRIGGER refuse_mallory BEFORE INSERT ON operations WHEN NEW.user = 'mallory'"
          + " BEGIN SELECT RAISE(ABORT, 'mallory is refused'); END");
    }
    AtomicInteger commits = new AtomicInteger();
    store.write(c -> {
      c.unwrap(SQLiteConnection.class).getDatabase().addCommitListener(new SQLiteCommitListener() {
        @Override
        public void onCommit() {
          commits.incrementAndGet();
        }

        @Override
        public void onRollback() {}
      });
      return null;
    }).await();
    CountDownLatch hold = new CountDownLatch(1);
    Future<Void> busy = store.write(c -> {
      hold.await(30, TimeUnit.SECONDS);
      return null;
    });
    List<Future<Void>> appends = new ArrayList<>();
    for (int n = 1; n <= 10; n++) {
      appends.add(operations.append(record("pz", n == 5 ? "mallory" : "alice", n, T0.plusSeconds(n))));
    }
    hold.countDown();
    busy.await();
    for (int n = 1; n <= 10; n++) {
      Future<Void> append = appends.get(n - 1);
      if (n == 5) {
        assertThatThrownBy(append::await).hasMessageContaining("mallory is refused");
      } else {
        append.await();
      }
    }
    assertThat(numbers(operations.query(OperationQuery.newest(20)).await())).containsExactly(10L, 9L, 8L, 7L, 6L, 4L, 3L,
        2L, 1L);
    assertThat(commits.get()).as("commits for ten appends that waited together").isEqualTo(1);
  }

  @Test
  @DisplayName("The listener of an append hears the outcome on the writer thread once the record is committed, before the future completes on the context that asked")
  void listenerOnTheWriterThread(Vertx vertx) throws Exception {
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + store.file());
        Statement s = other.createStatement()) {
      s.execute("CREATE TRIGGER refuse_mallory BEFORE INSERT ON operations WHEN NEW.user = 'mallory'"
          + " BEGIN SELECT RAISE(ABORT, 'mallory is refused'); END");
    }
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(2);
    vertx.getOrCreateContext().runOnContext(v -> {
      operations.appendAll(List.of(record("pz", "alice", 1, T0)), ar -> seen.add("alice told " + ar.succeeded()
              + " on " + Thread.currentThread().getName() + ", readable by another connection: " + committed(1)))
          .onComplete(ar -> {
            seen.add("alice done " + ar.succeeded() + " on an event loop: " + Context.isOnEventLoopThread());
            done.countDown();
          });
      operations.appendAll(List.of(record("pz", "mallory", 2, T0)), ar -> seen.add("mallory told " + ar.succeeded()
              + " on " + Thread.currentThread().getName() + ": " + ar.cause().getMessage()))
          .onComplete(ar -> {
            seen.add("mallory done " + ar.succeeded() + " on an event loop: " + Context.isOnEventLoopThread());
            done.countDown();
          });
    });
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(seen.indexOf("alice done true on an event loop: true"))
        .isGreaterThan(indexOfPrefix(seen, "alice told true on insight-write-"));
    assertThat(seen).anySatisfy(line -> assertThat(line).startsWith("alice told true on insight-write-")
        .endsWith("readable by another connection: true"));
    assertThat(seen.indexOf("mallory done false on an event loop: true"))
        .isGreaterThan(indexOfPrefix(seen, "mallory told false on insight-write-"));
    assertThat(seen).anySatisfy(line -> assertThat(line).startsWith("mallory told false on insight-write-")
        .contains("mallory is refused"));
  }

  private static int indexOfPrefix(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no line starts with " + prefix + " in " + lines);
  }

  /** Whether a record numbered {@code n} is in the database, as a connection of its own reads it. */
  private boolean committed(int n) {
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + store.file());
        Statement s = other.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM operations WHERE duration_ms = " + n)) {
      return rs.next() && rs.getInt(1) == 1;
    } catch (java.sql.SQLException e) {
      return false;
    }
  }

  @Test
  @DisplayName("An operation's commit is synced (synchronous=FULL), also right after a transition batch committed without a sync")
  void operationsAreSynced() {
    TransitionStore transitions = new TransitionStore(store);
    assertThat(store.write(c -> synchronous(c)).await()).as("a write").isEqualTo(2);
    Transition t = new Transition(T0, "pz", "pz.service", null, "active", "running", null, null, null, null, 0L, null,
        Transition.Cause.EXTERNAL, null, null, null);
    assertThat(store.writeUnsynced(c -> synchronous(c)).await()).as("a transition batch's write").isEqualTo(1);
    transitions.append(List.of(t)).await();
    assertThat(store.write(c -> synchronous(c)).await()).as("the next write").isEqualTo(2);
    assertThatThrownBy(() -> store.writeUnsynced(c -> {
      throw new IllegalStateException("boom");
    }).await()).hasMessage("boom");
    assertThat(store.write(c -> synchronous(c)).await()).as("a write after a failed unsynced one").isEqualTo(2);
    append("pz", "alice", 1, 1);
    assertThat(transitions.timeline("pz", T0.minusSeconds(1), T0.plusSeconds(1)).await()).containsExactly(t);
  }

  private static int synchronous(Connection c) throws java.sql.SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
      return rs.getInt(1);
    }
  }

  @Test
  @DisplayName("Opening a file that is no database fails with InsightDatabaseException")
  void openFailure(Vertx vertx) throws Exception {
    Path garbage = dir.resolve("garbage.db");
    java.nio.file.Files.writeString(garbage, "not a database at all, not even close to one.".repeat(4));
    assertThatThrownBy(() -> InsightStore.open(vertx, garbage).await())
        .isInstanceOf(InsightDatabaseException.class).hasMessageContaining("not an SQLite database");
  }
}
