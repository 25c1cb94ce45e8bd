package io.servicemanager.insight;

import io.servicemanager.insight.Transition.Cause;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** A {@link Transition} as a row of the {@code transitions} table, and back. */
final class TransitionRows {
  static final String COLUMNS = "at, service, unit, from_state, to_state, sub_state, result, exit_code, exit_status,"
      + " signal, n_restarts, main_pid, cause, cause_user, reason, message";
  static final String INSERT =
      "INSERT INTO transitions (" + COLUMNS + ", up, failure) VALUES (" + "?, ".repeat(17) + "?)";
  /** What {@link Uptime#accept(long, Boolean, Cause, boolean, String)} needs: at, up, failure, cause, reason. */
  /**
   * What the uptime arithmetic needs of a row, packed by SQLite into one integer (every column is in
   * the (service, at) index): the driver pays a native call per column read, which for 100 000 rows
   * is most of a statistics query. {@code at << 5 | up << 3 | failure << 2 | cause}, where up is 0
   * down, 1 up, 2 unknown and cause is {@link #CAUSES}' index. A failure's reason is read apart,
   * from the failures' own index ({@link #FAILURE_REASONS}), in the same order.
   */
  static final String PACKED = "(at << 5) | (coalesce(up, 2) << 3) | (failure << 2)"
      + " | CASE cause WHEN 'operation' THEN 0 WHEN 'systemd' THEN 1 ELSE 2 END";
  /** The window's failures' reasons, in the order of a {@link #PACKED} scan. */
  static final String FAILURE_REASONS = "reason";

  private TransitionRows() {}

  /** Binds a transition for {@link #INSERT}; a failure always gets a reason code and words. */
  static void bind(PreparedStatement s, Transition t) throws SQLException {
    boolean failure = t.isFailure();
    s.setLong(1, t.at().toEpochMilli());
    s.setString(2, t.service());
    s.setString(3, t.unit());
    s.setString(4, t.from());
    s.setString(5, t.to());
    s.setString(6, t.subState());
    s.setString(7, t.result());
    s.setString(8, t.exitCode());
    setLong(s, 9, t.exitStatus());
    setLong(s, 10, t.signal() == null ? null : t.signal().longValue());
    setLong(s, 11, t.nRestarts());
    setLong(s, 12, t.mainPid());
    s.setString(13, t.cause().wire());
    s.setString(14, t.causeUser());
    s.setString(15, failure ? t.reasonCode() : t.reason());
    s.setString(16, failure ? t.reasonWords() : t.message());
    Boolean up = Uptime.up(t.to());
    s.setObject(17, up == null ? null : up ? 1 : 0);
    s.setInt(18, failure ? 1 : 0);
  }

  /** Whether a {@link #PACKED} row is a failure (whose reason is then the next of the failures' reasons). */
  static boolean isFailure(long packed) {
    return (packed >> 2 & 1) == 1;
  }

  /** Feeds a {@link #PACKED} row to {@code uptime}, with its reason when it is a failure. */
  static void feed(long packed, String reason, Uptime uptime) {
    int up = (int) (packed >> 3 & 3);
    uptime.accept(packed >> 5, up == 2 ? null : up == 1, CAUSES[(int) (packed & 3)], isFailure(packed), reason);
  }

  /** In the order of {@link #NARROW}'s CASE. */
  private static final Cause[] CAUSES = {Cause.OPERATION, Cause.SYSTEMD, Cause.EXTERNAL};

  /** Reads the {@link #COLUMNS} from column 1 on. */
  static Transition read(ResultSet rs) throws SQLException {
    Long signal = getLong(rs, 10);
    return new Transition(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), getLong(rs, 9),
        signal == null ? null : signal.intValue(), getLong(rs, 11), getLong(rs, 12), Cause.of(rs.getString(13)),
        rs.getString(14), rs.getString(15), rs.getString(16));
  }

  private static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.INTEGER);
    } else {
      s.setLong(index, value);
    }
  }

  private static Long getLong(ResultSet rs, int index) throws SQLException {
    long value = rs.getLong(index);
    return rs.wasNull() ? null : value;
  }
}
