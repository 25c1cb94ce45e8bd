package io.servicemanager.insight;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Writes operations and transitions (of one service or all) since a moment as JSON Lines, oldest
 * first, each line its record with a {@code "type"} of "operation" or "transition" put first. A file
 * appears whole or not at all (written beside it, then renamed).
 */
public final class InsightExport {
  private InsightExport() {}

  /** @return how many lines were written */
  public static Future<Long> export(InsightStore store, String service, Instant since, Path out) {
    return store.read(c -> {
      Path target = out.toAbsolutePath().normalize();
      Path partial = target.resolveSibling(target.getFileName() + ".partial");
      long lines;
      try (BufferedWriter writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
        lines = write(c, service, since.toEpochMilli(), writer);
      } catch (Exception e) {
        Files.deleteIfExists(partial);
        throw e;
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return lines;
    });
  }

  /**
   * Writes to {@code out} (the command line's standard output), on the store's read thread, in one
   * consistent view of the database.
   *
   * @param service null for every service
   * @param since null for everything kept
   * @return how many lines were written
   */
  public static Future<Long> export(InsightStore store, String service, Instant since, Writer out) {
    return store.read(c -> {
      long lines = write(c, service, since == null ? Long.MIN_VALUE : since.toEpochMilli(), out);
      out.flush();
      return lines;
    });
  }

  /** Merges the two tables by time, each read along an index. */
  private static long write(Connection c, String service, long since, Writer writer) throws Exception {
    try (PreparedStatement ops = select(c, "SELECT " + OperationRow.COLUMNS + " FROM operations", service, since);
        PreparedStatement trs = select(c, "SELECT " + TransitionRows.COLUMNS + " FROM transitions", service, since);
        ResultSet o = ops.executeQuery();
        ResultSet t = trs.executeQuery()) {
      OperationRow op = o.next() ? OperationRow.read(o, 1) : null;
      Transition tr = t.next() ? TransitionRows.read(t) : null;
      long lines = 0;
      while (op != null || tr != null) {
        JsonObject line;
        if (tr == null || (op != null && op.at() <= tr.at().toEpochMilli())) {
          line = new JsonObject().put("type", "operation").mergeIn(op.toJson());
          op = o.next() ? OperationRow.read(o, 1) : null;
        } else {
          line = new JsonObject().put("type", "transition").mergeIn(tr.toJson());
          tr = t.next() ? TransitionRows.read(t) : null;
        }
        writer.write(line.encode());
        writer.write('\n');
        lines++;
      }
      return lines;
    }
  }

  private static PreparedStatement select(Connection c, String select, String service, long since) throws SQLException {
    if (service == null) {
      PreparedStatement s = c.prepareStatement(select + " WHERE at >= ? ORDER BY at, id");
      s.setLong(1, since);
      return s;
    }
    PreparedStatement s = c.prepareStatement(select + " WHERE service = ? AND at >= ? ORDER BY at, id");
    s.setString(1, service);
    s.setLong(2, since);
    return s;
  }
}
