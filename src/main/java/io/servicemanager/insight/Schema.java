package io.servicemanager.insight;

import java.util.List;

/**
 * The database's schema as an ordered list of migrations: migration {@code n} (1-based) takes a
 * database from {@code user_version} n−1 to n. A released migration is never edited; a change is a
 * new one appended here.
 */
final class Schema {
  private Schema() {}

  /** One step: its statements run in order, inside the opening transaction. */
  record Migration(String description, List<String> statements) {}

  static final List<Migration> MIGRATIONS = List.of(
      new Migration("operations, transitions, gaps and imports", List.of(
          // The fields of io.servicemanager.action.OperationRecord; at is epoch milliseconds.
          """
          CREATE TABLE operations (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            service TEXT NOT NULL,
            unit TEXT NOT NULL,
            action TEXT NOT NULL,
            user TEXT NOT NULL,
            result TEXT NOT NULL,
            systemd_result TEXT,
            exit_status INTEGER,
            duration_ms INTEGER NOT NULL,
            message TEXT NOT NULL,
            import_key TEXT UNIQUE
          )""",
          // Newest first, for everyone, one service or one user: each walks an index backwards.
          "CREATE INDEX operations_at ON operations (at, id)",
          "CREATE INDEX operations_service_at ON operations (service, at, id)",
          "CREATE INDEX operations_user_at ON operations (user, at, id)",
          """
          CREATE TABLE transitions (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            service TEXT NOT NULL,
            unit TEXT NOT NULL,
            from_state TEXT,
            to_state TEXT NOT NULL,
            sub_state TEXT,
            result TEXT,
            exit_code TEXT,
            exit_status INTEGER,
            signal INTEGER,
            n_restarts INTEGER,
            main_pid INTEGER,
            cause TEXT NOT NULL CHECK (cause IN ('operation', 'systemd', 'external')),
            cause_user TEXT,
            reason TEXT,
            message TEXT,
            up INTEGER CHECK (up IN (0, 1)),
            failure INTEGER NOT NULL CHECK (failure IN (0, 1))
          )""",
          // A service's window (statistics, timeline) and the retention sweep. up, failure and cause
          // are derived at insert (Uptime.up, Transition.isFailure) and in the index, so the statistics
          // read only indexes (the failures' reasons from their own, in migration 2).
          "CREATE INDEX transitions_service_at ON transitions (service, at, id, up, failure, cause)",
          "CREATE INDEX transitions_at ON transitions (at)",
          """
          CREATE TABLE gaps (
            id INTEGER PRIMARY KEY,
            start_at INTEGER NOT NULL,
            end_at INTEGER,
            kind TEXT NOT NULL CHECK (kind IN ('stopped', 'crashed', 'bus-lost'))
          )""",
          "CREATE INDEX gaps_start ON gaps (start_at)",
          """
          CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            file TEXT NOT NULL,
            lines INTEGER NOT NULL,
            imported INTEGER NOT NULL,
            duplicates INTEGER NOT NULL,
            torn INTEGER NOT NULL
          )""")),
      // The latest words of each failure reason in a window: without it, one table row per failure
      // (≈ 25 ms for 15 000 failures in 30 days; with it ≈ 2 ms, scripts/bench-insight).
      new Migration("failures' reasons and words indexed", List.of(
          "CREATE INDEX transitions_failure_words ON transitions (service, at, reason, message) WHERE failure = 1")));

  /** The version this code writes: the number of migrations. */
  static int latest() {
    return MIGRATIONS.size();
  }
}
