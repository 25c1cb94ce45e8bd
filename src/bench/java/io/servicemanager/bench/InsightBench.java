package io.servicemanager.bench;

import io.servicemanager.insight.InsightStore;
import io.servicemanager.insight.ServiceStatistics;
import io.servicemanager.insight.TransitionStore;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Insight (issue 12): a 30-day statistics read of a service with 100 000 transitions (store call,
 * and the REST route when this build has it), the database's size per million transitions, and the
 * journal — the first 100 lines and a new line's way to a /ws follower — each beside a for-scale
 * baseline measured in the same run. Run: {@code scripts/bench-insight}; writes
 * target/bench-insight.md.
 */
public final class InsightBench {
  static final String SERVICE = "big";
  static final int TRANSITIONS = env("BENCH_INSIGHT_TRANSITIONS", 100_000);
  static final int ROUNDS = env("BENCH_INSIGHT_ROUNDS", 30);
  static final int WARMUP = env("BENCH_INSIGHT_WARMUP", 10);
  /** Transitions written for the size figure; below a million the size is extrapolated (and says so). */
  static final int SIZE_TRANSITIONS = env("BENCH_INSIGHT_SIZE", 1_000_000);

  private InsightBench() {}

  public static void main(String[] args) throws Exception {
    List<String> parts = List.of(System.getenv().getOrDefault("BENCH_INSIGHT_PARTS", "stats,size,journal").split(","));
    StringBuilder md = new StringBuilder("## Insight benchmark\n\n");
    md.append(f("%s · JDK %s · %d cores · %s%n%n", java.time.LocalDate.now(), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), BenchMain.loadAverage()));
    long started = System.nanoTime();
    Path dir = Files.createTempDirectory("sm-insight-bench-");
    Path database = dir.resolve("servicemanager.db");
    Vertx vertx = Vertx.vertx();
    try {
      if (parts.contains("stats") || parts.contains("journal")) {
        md.append(stats(vertx, database, parts.contains("stats")));
      }
      if (parts.contains("size")) {
        md.append(size(vertx, dir.resolve("size.db")));
      }
      if (parts.contains("journal")) {
        md.append(JournalLatency.run(dir, SERVICE));
      }
    } finally {
      vertx.close().await();
      delete(dir);
    }
    md.append(f("Whole benchmark: %.0f s wall clock; at the end: %s.%n", (System.nanoTime() - started) / 1e9,
        BenchMain.loadAverage()));
    System.out.println(md);
    Path out = Path.of("target", "bench-insight.md");
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, md.toString());
    System.exit(0);
  }

  /** Fills {@code database} with the service's 30 days; measures the statistics read when {@code measure}. */
  private static String stats(Vertx vertx, Path database, boolean measure) {
    Instant to = Instant.now();
    Instant from = to.minus(Duration.ofDays(30));
    InsightStore store = InsightStore.open(vertx, database).await();
    TransitionStore transitions = new TransitionStore(store);
    long t0 = System.nanoTime();
    new TransitionFill(transitions, 12).fill(SERVICE, TRANSITIONS, from, to);
    // Neighbours, so the index holds other services' rows around this one's, as in a real database.
    for (int i = 1; i <= 9; i++) {
      new TransitionFill(transitions, 12 + i).fill("other-" + i, TRANSITIONS / 10, from, to);
    }
    double fillS = (System.nanoTime() - t0) / 1e9;
    StringBuilder md = new StringBuilder();
    if (measure) {
      String load = BenchMain.loadAverage();
      List<Long> statsNs = new ArrayList<>();
      List<Long> countNs = new ArrayList<>();
      List<Long> scanNs = new ArrayList<>();
      List<Long> wordsNs = new ArrayList<>();
      List<Long> bareNs = new ArrayList<>();
      List<Long> packedNs = new ArrayList<>();
      ServiceStatistics last = null;
      long rows = 0;
      for (int i = 0; i < WARMUP + ROUNDS; i++) {
        long a = System.nanoTime();
        last = transitions.statistics(SERVICE, from, to).await();
        long b = System.nanoTime();
        rows = store.read(c -> count(c, from, to)).await();
        long c = System.nanoTime();
        store.read(conn -> drain(conn, SCAN, from, to)).await();
        long d = System.nanoTime();
        store.read(conn -> drain(conn, WORDS, from, to)).await();
        long e = System.nanoTime();
        store.read(conn -> drain(conn, BARE, from, to)).await();
        long g = System.nanoTime();
        store.read(conn -> drain(conn, PACKED, from, to)).await();
        long h = System.nanoTime();
        if (i >= WARMUP) {
          packedNs.add(h - g);
          bareNs.add(g - e);
          statsNs.add(b - a);
          countNs.add(c - b);
          scanNs.add(d - c);
          wordsNs.add(e - d);
        }
      }
      Stats s = Stats.of(statsNs);
      Stats count = Stats.of(countNs);
      md.append(f("### Statistics over 30 days, %,d transitions of one service%n%n", rows))
          .append(f("Filled through `TransitionStore.append` (batches of %d, one transaction each) with %,d transitions"
              + " of `%s` and %,d of each of 9 neighbours, all over the last 30 days, plus a gap every 2–4 days;"
              + " %.1f s. Load before measuring: %s. %d rounds after %d warm-up, alternating.%n%n", TransitionFill.BATCH,
              TRANSITIONS, SERVICE, TRANSITIONS / 10, fillS, load, ROUNDS, WARMUP))
          .append("| series | n | p50 | p95 | max |\n|---|---|---|---|---|\n")
          .append(row("`TransitionStore.statistics(service, now − 30 d, now)` (worker thread, awaited)", s))
          .append(row("for scale: `SELECT count(*)` over the same rows (same store, same thread)", count))
          .append(row("↳ its window scan alone: the narrow columns of every row, read and dropped (no `Uptime`)",
              Stats.of(scanNs)))
          .append(row("↳ its latest words per failure reason (`GROUP BY reason` over the window's failures, along"
              + " their index)",
              Stats.of(wordsNs)))
          .append(row("for scale: the window's `at` alone, every row read (one column per row, no expressions)",
              Stats.of(bareNs)))
          .append(row("what-if: the scan with up, failure and cause packed into one integer (2 columns per row;"
              + " reasons would come from the failure rows alone)", Stats.of(packedNs)))
          .append(f("%nTarget ≤ 50 ms p50: %s. The read found %d failures, %d failure patterns, uptime %.2f %% of"
                  + " %.1f %% observed.%n%n", s.p50() <= 50 ? "met" : f("**not met** (by %.1f ms)", s.p50() - 50),
              last.uptime().failures().size(), last.patterns().size(), last.uptime().uptimePercent(),
              100.0 * last.uptime().observedMs() / last.uptime().windowMs()));
    }
    store.close().await();
    return md.toString();
  }

  /** The statements inside {@code statistics} (copied from TransitionStore / TransitionRows), for the breakdown. */
  private static final String SCAN = "SELECT at, up, failure, CASE cause WHEN 'operation' THEN 0 WHEN 'systemd' THEN 1"
      + " ELSE 2 END, CASE WHEN failure = 1 THEN reason END FROM transitions WHERE service = ? AND at >= ? AND at < ?"
      + " ORDER BY at, id";
  private static final String BARE = "SELECT at FROM transitions WHERE service = ? AND at >= ? AND at < ?"
      + " ORDER BY at, id";
  private static final String PACKED = "SELECT at, ifnull(up, 2) * 8 + failure * 4 + CASE cause"
      + " WHEN 'operation' THEN 0 WHEN 'systemd' THEN 1 ELSE 2 END FROM transitions"
      + " WHERE service = ? AND at >= ? AND at < ? ORDER BY at, id";
  private static final String WORDS = "SELECT reason, message, max(at) FROM transitions"
      + " WHERE service = ? AND at >= ? AND at < ? AND failure = 1 GROUP BY reason";

  /** Runs {@code sql} over the window and reads every column of every row; the rows read. */
  private static long drain(Connection c, String sql, Instant from, Instant to) throws Exception {
    long rows = 0;
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, SERVICE);
      s.setLong(2, from.toEpochMilli());
      s.setLong(3, to.toEpochMilli());
      try (ResultSet rs = s.executeQuery()) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int i = 1; i <= columns; i++) {
            rs.getObject(i);
          }
          rows++;
        }
      }
    }
    return rows;
  }

  private static long count(Connection c, Instant from, Instant to) throws Exception {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT count(*) FROM transitions WHERE service = ? AND at >= ? AND at < ?")) {
      s.setString(1, SERVICE);
      s.setLong(2, from.toEpochMilli());
      s.setLong(3, to.toEpochMilli());
      try (ResultSet rs = s.executeQuery()) {
        return rs.getLong(1);
      }
    }
  }

  /** The size per million transitions: written in full, or extrapolated from a smaller fill (and said so). */
  private static String size(Vertx vertx, Path database) throws Exception {
    Instant to = Instant.now();
    Instant from = to.minus(Duration.ofDays(30));
    String load = BenchMain.loadAverage();
    InsightStore store = InsightStore.open(vertx, database).await();
    TransitionStore transitions = new TransitionStore(store);
    int services = 10;
    long t0 = System.nanoTime();
    for (int i = 0; i < services; i++) {
      new TransitionFill(transitions, 100 + i).fill("svc-" + i, SIZE_TRANSITIONS / services, from, to);
    }
    double fillS = (System.nanoTime() - t0) / 1e9;
    store.close().await();
    long[] bytes = checkpointedSize(database);
    double perMillion = bytes[0] * (1_000_000.0 / bytes[1]);
    StringBuilder md = new StringBuilder("### Database size\n\n");
    md.append(f("%,d transitions of %d services written through `TransitionStore.append` (batches of %d) in %.1f s"
            + " (%.0f transitions/s; load before: %s), then the WAL checkpointed (`wal_checkpoint(TRUNCATE)`) and"
            + " `page_count × page_size` read.%n%n", bytes[1], services, TransitionFill.BATCH, fillS, bytes[1] / fillS,
            load))
        .append("| database | transitions | page_count × page_size | per million transitions | per transition |\n")
        .append("|---|---|---|---|---|\n")
        .append(f("| size fill | %,d | %.1f MiB | %.1f MiB%s | %.0f B |%n", bytes[1], bytes[0] / 1048576.0,
            perMillion / 1048576.0, bytes[1] == 1_000_000 ? "" : " (extrapolated linearly)", (double) bytes[0] / bytes[1]));
    return md.append('\n').toString();
  }

  /** {page_count × page_size in bytes, transitions} after a full checkpoint of the WAL. */
  private static long[] checkpointedSize(Path database) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database); Statement s = c.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      long pages;
      long pageSize;
      long rows;
      try (ResultSet rs = s.executeQuery("PRAGMA page_count")) {
        pages = rs.getLong(1);
      }
      try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
        pageSize = rs.getLong(1);
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM transitions")) {
        rows = rs.getLong(1);
      }
      return new long[] {pages * pageSize, rows};
    }
  }

  static String row(String name, Stats s) {
    return f("| %s | %d | %.2f | %.2f | %.2f |%n", name, s.n(), s.p50(), s.p95(), s.max());
  }

  static void delete(Path dir) {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      System.err.println("bench: could not delete " + dir + ": " + e);
    }
  }

  static int env(String name, int fallback) {
    return Integer.parseInt(System.getenv().getOrDefault(name, String.valueOf(fallback)));
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
