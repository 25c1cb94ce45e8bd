package io.servicemanager.insight;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InsightBackupTest {
  @TempDir Path dir;

  private static long query(Path db, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.getLong(1);
    }
  }

  @Test
  @DisplayName("Copies taken while another connection commits are each one consistent state: every transaction whole, "
      + "none committed before the copy began missing, and the copy passes integrity_check")
  void copiesWhileWritten() throws Exception {
    Path file = dir.resolve("servicemanager.db");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong committed = new AtomicLong();
    Semaphore progress = new Semaphore(0);
    try (InsightDatabase db = InsightDatabase.open(file)) {
      // Each transaction writes two rows of one batch: a copy holding one without the other is torn.
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try (Statement s = db.connection().createStatement()) {
          for (long batch = 1; !stop.get(); batch++) {
            s.execute("BEGIN IMMEDIATE");
            for (int row = 0; row < 2; row++) {
              s.execute("INSERT INTO operations (at, service, unit, action, user, result, duration_ms, message) VALUES ("
                  + batch + ", 'pzserver', 'pzserver.service', 'restart', 'tester', 'success', 5, 'batch " + batch + "')");
            }
            s.execute("COMMIT");
            committed.set(batch);
            progress.release();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      List<Path> copies = new ArrayList<>();
      List<Long> before = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        assertThat(progress.tryAcquire(20, 60, SECONDS)).as("the writer goes on").isTrue();
        before.add(committed.get());
        Path copy = dir.resolve("copy-" + i + ".db");
        InsightBackup.copy(file, copy);
        copies.add(copy);
      }
      stop.set(true);
      writer.get(60, SECONDS);
      for (int i = 0; i < copies.size(); i++) {
        Path copy = copies.get(i);
        assertThat(InsightBackup.problems(copy)).as("usable").isEmpty();
        assertThat(query(copy, "SELECT count(*) FROM (SELECT message FROM operations GROUP BY message HAVING count(*) <> 2)"))
            .as("no transaction torn").isZero();
        assertThat(query(copy, "SELECT count(*) FROM operations") / 2).as("every batch committed before the copy began")
            .isGreaterThanOrEqualTo(before.get(i));
      }
    }
    assertThat(Files.exists(file)).isTrue();
  }

  @Test
  @DisplayName("A restore into a database another connection holds open is seen by that connection")
  void restoreIntoAnOpenDatabase() throws Exception {
    Path copy = dir.resolve("copy.db");
    try (InsightDatabase source = InsightDatabase.open(dir.resolve("source.db"));
        Statement s = source.connection().createStatement()) {
      s.execute("INSERT INTO operations (at, service, unit, action, user, result, duration_ms, message) VALUES "
          + "(1, 'pzserver', 'pzserver.service', 'restart', 'tester', 'success', 5, 'kept')");
      InsightBackup.copy(source.file(), copy);
    }
    try (InsightDatabase target = InsightDatabase.open(dir.resolve("target.db"))) {
      InsightBackup.restore(copy, target.file());
      try (Statement s = target.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT message FROM operations")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("kept");
      }
    }
  }
}
