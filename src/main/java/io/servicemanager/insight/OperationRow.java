package io.servicemanager.insight;

import io.servicemanager.status.ServiceView;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One operation record ({@link io.servicemanager.action.OperationRecord}) as a row of the
 * {@code operations} table, and back: the JSON that comes out is the JSON that went in.
 */
record OperationRow(long at, String service, String unit, String action, String user, String result,
    String systemdResult, Long exitStatus, long durationMs, String message) {

  static final String COLUMNS =
      "at, service, unit, action, user, result, systemd_result, exit_status, duration_ms, message";

  /** The row for a record; IllegalArgumentException naming the first field that is missing or of the wrong type. */
  static OperationRow of(JsonObject record) {
    if (record == null) {
      throw new IllegalArgumentException("no record");
    }
    long at;
    try {
      at = Instant.parse(text(record, "at")).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("at: not an ISO-8601 instant (" + record.getValue("at") + ")");
    }
    return new OperationRow(at, text(record, "service"), text(record, "unit"), text(record, "action"),
        text(record, "user"), text(record, "result"), optionalText(record, "systemd_result"),
        optionalNumber(record, "exit_status"), number(record, "duration_ms"), text(record, "message"));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("at", ServiceView.iso(Instant.ofEpochMilli(at)))
        .put("service", service)
        .put("unit", unit)
        .put("action", action)
        .put("user", user)
        .put("result", result)
        .put("systemd_result", systemdResult)
        .put("exit_status", exitStatus)
        .put("duration_ms", durationMs)
        .put("message", message);
  }

  /** Binds the ten {@link #COLUMNS} from parameter {@code first} on. */
  void bind(PreparedStatement s, int first) throws SQLException {
    s.setLong(first, at);
    s.setString(first + 1, service);
    s.setString(first + 2, unit);
    s.setString(first + 3, action);
    s.setString(first + 4, user);
    s.setString(first + 5, result);
    s.setString(first + 6, systemdResult);
    if (exitStatus == null) {
      s.setNull(first + 7, Types.INTEGER);
    } else {
      s.setLong(first + 7, exitStatus);
    }
    s.setLong(first + 8, durationMs);
    s.setString(first + 9, message);
  }

  /** Reads the ten {@link #COLUMNS} from column {@code first} on. */
  static OperationRow read(ResultSet rs, int first) throws SQLException {
    long exit = rs.getLong(first + 7);
    Long exitStatus = rs.wasNull() ? null : exit;
    return new OperationRow(rs.getLong(first), rs.getString(first + 1), rs.getString(first + 2),
        rs.getString(first + 3), rs.getString(first + 4), rs.getString(first + 5), rs.getString(first + 6),
        exitStatus, rs.getLong(first + 8), rs.getString(first + 9));
  }

  private static String text(JsonObject record, String field) {
    if (!(record.getValue(field) instanceof String value)) {
      throw new IllegalArgumentException(field + ": missing or not a string");
    }
    return value;
  }

  private static String optionalText(JsonObject record, String field) {
    Object value = record.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw new IllegalArgumentException(field + ": not a string or null");
    }
    return (String) value;
  }

  private static long number(JsonObject record, String field) {
    Long value = optionalNumber(record, field);
    if (value == null) {
      throw new IllegalArgumentException(field + ": missing");
    }
    return value;
  }

  private static Long optionalNumber(JsonObject record, String field) {
    Object value = record.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new IllegalArgumentException(field + ": not a whole number or null");
    }
    return ((Number) value).longValue();
  }
}
