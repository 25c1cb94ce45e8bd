package io.servicemanager.insight;

import io.servicemanager.insight.OperationFigures.Done;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Status transitions and gaps in the insight database: written in batches (one transaction, one
 * fsync each), read as one service's statistics over a window.
 */
public final class TransitionStore {
  /** One service's [from, to): the (service, at) index answers it. */
  static final String WINDOW = " WHERE service = ? AND at >= ? AND at < ?";

  private final InsightStore store;

  public TransitionStore(InsightStore store) {
    this.store = store;
  }

  /**
   * Writes the transitions in one transaction; completes once they are committed. Not synced on
   * its own ({@link InsightStore#writeUnsynced}): no answer waits for a transition, and the next
   * operation's commit syncs it with its own, so an action never waits behind a batch's fsync.
   */
  public Future<Void> append(List<Transition> batch) {
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Transition> copy = List.copyOf(batch);
    return store.writeUnsynced(c -> {
      try (PreparedStatement s = c.prepareStatement(TransitionRows.INSERT)) {
        for (Transition t : copy) {
          TransitionRows.bind(s, t);
          s.addBatch();
        }
        s.executeBatch();
      }
      return null;
    });
  }

  /** Records a gap; an open one (no end yet) is closed later by {@link #closeOpenGaps}. */
  public Future<Void> recordGap(Gap gap) {
    return store.write(c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO gaps (start_at, end_at, kind) VALUES (?, ?, ?)")) {
        s.setLong(1, gap.start().toEpochMilli());
        s.setObject(2, gap.end() == null ? null : gap.end().toEpochMilli());
        s.setString(3, gap.kind().wire());
        s.executeUpdate();
      }
      return null;
    });
  }

  /** Ends every open gap at {@code end} (at start-up, or when the bus is back); how many there were. */
  public Future<Integer> closeOpenGaps(Instant end) {
    return store.write(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE gaps SET end_at = max(start_at, ?) WHERE end_at IS NULL")) {
        s.setLong(1, end.toEpochMilli());
        return s.executeUpdate();
      }
    });
  }

  /**
   * The service's statistics over [from, to), from one consistent read: the window's transitions
   * (and the last one before it) streamed through {@link Uptime} along the (service, at) index,
   * the gaps that touch them, and the window's operations.
   */
  public Future<ServiceStatistics> statistics(String service, Instant from, Instant to) {
    return store.read(c -> {
      long start = from.toEpochMilli();
      long end = to.toEpochMilli();
      Transition before = lastBefore(c, service, start);
      long earliest = before == null ? start : Math.min(start, before.at().toEpochMilli());
      Uptime uptime = new Uptime(from, to, gaps(c, earliest, end));
      if (before != null) {
        uptime.accept(before);
      }
      // One packed column a row, all in the index, and the failures' reasons from their own index:
      // reading whole rows costs ten times as much, five columns a row three times.
      java.util.ArrayDeque<String> reasons = new java.util.ArrayDeque<>();
      try (PreparedStatement s = window(c, "SELECT " + TransitionRows.FAILURE_REASONS + " FROM transitions", service,
          start, end, " AND failure = 1 ORDER BY at, id"); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          reasons.add(rs.getString(1));
        }
      }
      try (PreparedStatement s = window(c, "SELECT " + TransitionRows.PACKED + " FROM transitions", service, start, end)) {
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            long packed = rs.getLong(1);
            TransitionRows.feed(packed, TransitionRows.isFailure(packed) ? reasons.poll() : null, uptime);
          }
        }
      }
      Uptime.Figures figures = uptime.result();
      List<Done> done = new ArrayList<>();
      List<Instant> starts = new ArrayList<>();
      operations(c, service, start, end, done, starts);
      Map<String, String> words = new HashMap<>();
      if (!figures.failures().isEmpty()) {
        // SQLite takes a bare column from the row that gave max(at): the latest words of each reason.
        try (PreparedStatement s = window(c, "SELECT reason, message, max(at) FROM transitions", service, start, end,
            " AND failure = 1 GROUP BY reason"); ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            words.put(rs.getString(1), rs.getString(2));
          }
        }
      }
      return new ServiceStatistics(service, from, to, figures, FailurePatterns.byReason(figures.failures(), words),
          FailurePatterns.worstBurst(figures.failures()), FailurePatterns.earlyCrashes(starts, figures.failures()),
          OperationFigures.of(done));
    });
  }

  /** The service's transitions in [from, to), oldest first. */
  public Future<List<Transition>> timeline(String service, Instant from, Instant to) {
    return store.read(c -> {
      List<Transition> out = new ArrayList<>();
      try (PreparedStatement s = window(c, "SELECT " + TransitionRows.COLUMNS + " FROM transitions", service,
          from.toEpochMilli(), to.toEpochMilli())) {
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(TransitionRows.read(rs));
          }
        }
      }
      return out;
    });
  }

  /** The latest {@code limit} transitions of a window, oldest first, and the gaps that touch it. */
  public record Timeline(List<Transition> transitions, List<Gap> gaps, boolean truncated) {}

  /** One service's latest {@code limit} transitions in [from, to) and the gaps in it, from one read. */
  public Future<Timeline> timeline(String service, Instant from, Instant to, int limit) {
    return store.read(c -> {
      Latest latest = latest(c, service, from.toEpochMilli(), to.toEpochMilli(), limit);
      return new Timeline(latest.transitions(), gaps(c, from.toEpochMilli(), to.toEpochMilli()), latest.truncated());
    });
  }

  /** Several services' timelines over one window: the gaps are everyone's, so they come once. */
  public record Timelines(Map<String, Latest> services, List<Gap> gaps) {}

  /** A window's latest transitions of one service, oldest first; truncated when there were more. */
  public record Latest(List<Transition> transitions, boolean truncated) {}

  /** Each service's latest {@code limit} transitions in [from, to), in the given order, and the gaps, from one read. */
  public Future<Timelines> timelines(List<String> services, Instant from, Instant to, int limit) {
    List<String> copy = List.copyOf(services);
    return store.read(c -> {
      Map<String, Latest> out = new java.util.LinkedHashMap<>();
      for (String service : copy) {
        out.put(service, latest(c, service, from.toEpochMilli(), to.toEpochMilli(), limit));
      }
      return new Timelines(out, gaps(c, from.toEpochMilli(), to.toEpochMilli()));
    });
  }

  private static Latest latest(Connection c, String service, long from, long to, int limit) throws SQLException {
    List<Transition> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT " + TransitionRows.COLUMNS + " FROM transitions"
        + WINDOW + " ORDER BY at DESC, id DESC LIMIT ?")) {
      s.setString(1, service);
      s.setLong(2, from);
      s.setLong(3, to);
      s.setInt(4, limit + 1);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(TransitionRows.read(rs));
        }
      }
    }
    List<Transition> kept = new ArrayList<>(out.subList(0, Math.min(limit, out.size())));
    java.util.Collections.reverse(kept);
    return new Latest(kept, out.size() > limit);
  }

  /** Each service's latest failure, for the views after a start: service → that transition. */
  public Future<Map<String, Transition>> lastFailures() {
    return store.read(c -> {
      Map<String, Transition> out = new HashMap<>();
      // SQLite takes the bare columns from the row that gave max(at).
      try (PreparedStatement s = c.prepareStatement("SELECT " + TransitionRows.COLUMNS + ", max(at) FROM transitions"
          + " WHERE failure = 1 GROUP BY service"); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Transition t = TransitionRows.read(rs);
          out.put(t.service(), t);
        }
      }
      return out;
    });
  }

  /**
   * Each service's latest operation, for the views after a start: service → {@code {at, action,
   * user, result}}.
   */
  public Future<Map<String, io.vertx.core.json.JsonObject>> lastOperations() {
    return store.read(c -> {
      Map<String, io.vertx.core.json.JsonObject> out = new HashMap<>();
      try (PreparedStatement s = c.prepareStatement("SELECT service, at, action, user, result, max(at)"
          + " FROM operations GROUP BY service"); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), new io.vertx.core.json.JsonObject()
              .put("at", io.servicemanager.status.ServiceView.iso(Instant.ofEpochMilli(rs.getLong(2))))
              .put("action", rs.getString(3)).put("user", rs.getString(4)).put("result", rs.getString(5)));
        }
      }
      return out;
    });
  }

  /** {@code select} over one service's [from, to), oldest first, along the (service, at) index. */
  private static PreparedStatement window(Connection c, String select, String service, long from, long to,
      String... more) throws SQLException {
    String sql = select + WINDOW + String.join("", more)
        + (more.length == 0 ? " ORDER BY at, id" : "");
    PreparedStatement s = c.prepareStatement(sql);
    s.setString(1, service);
    s.setLong(2, from);
    s.setLong(3, to);
    return s;
  }

  private static Transition lastBefore(Connection c, String service, long start) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + TransitionRows.COLUMNS
        + " FROM transitions WHERE service = ? AND at < ? ORDER BY at DESC, id DESC LIMIT 1")) {
      s.setString(1, service);
      s.setLong(2, start);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? TransitionRows.read(rs) : null;
      }
    }
  }

  private static List<Gap> gaps(Connection c, long from, long to) throws SQLException {
    List<Gap> gaps = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT start_at, end_at, kind FROM gaps WHERE start_at < ? AND (end_at IS NULL OR end_at > ?)")) {
      s.setLong(1, to);
      s.setLong(2, from);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          long endAt = rs.getLong(2);
          Instant end = rs.wasNull() ? null : Instant.ofEpochMilli(endAt);
          gaps.add(new Gap(Instant.ofEpochMilli(rs.getLong(1)), end, Gap.Kind.of(rs.getString(3))));
        }
      }
    }
    return gaps;
  }

  /** The window's operations; {@code starts} gets the times of starts and restarts that were reported done. */
  private static void operations(Connection c, String service, long from, long to, List<Done> done,
      List<Instant> starts) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT at, action, result, duration_ms FROM operations"
        + " WHERE service = ? AND at >= ? AND at < ? ORDER BY at, id")) {
      s.setString(1, service);
      s.setLong(2, from);
      s.setLong(3, to);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          boolean success = "done".equals(rs.getString(3));
          done.add(new Done(success, rs.getLong(4)));
          String action = rs.getString(2);
          if (success && (action.equals("start") || action.equals("restart"))) {
            starts.add(Instant.ofEpochMilli(rs.getLong(1)));
          }
        }
      }
    }
  }
}
