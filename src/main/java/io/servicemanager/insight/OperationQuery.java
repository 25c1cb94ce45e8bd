package io.servicemanager.insight;

import io.servicemanager.history.HistoryQuery;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code GET /api/history} asks of the operations, newest first: the caller's services, then
 * optionally one service and one user, a page size, and where the previous page ended.
 *
 * @param visible the services the caller may see; null for every service
 * @param service only this service; null for all the caller sees
 * @param user only operations by this user; null for everyone's
 * @param before the {@link Page#next} of the previous page; null for the newest
 * @param limit 1 to {@link HistoryQuery#MAX_LIMIT}
 */
public record OperationQuery(Set<String> visible, String service, String user, Cursor before, int limit) {
  public OperationQuery {
    visible = visible == null ? null : Set.copyOf(visible);
    if (limit < 1 || limit > HistoryQuery.MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be from 1 to "
          + HistoryQuery.MAX_LIMIT + " (got " + limit + ")");
    }
  }

  /** Everyone's operations, newest first. */
  public static OperationQuery newest(int limit) {
    return new OperationQuery(null, null, null, null, limit);
  }

  /**
   * A position in the newest-first order: the operation's time and its row id, which breaks ties
   * between operations of the same millisecond. Opaque to clients: "at.id".
   */
  public record Cursor(long at, long id) {
    private static final Pattern TOKEN = Pattern.compile("(-?[0-9]{1,19})\\.([0-9]{1,19})");

    public String token() {
      return at + "." + id;
    }

    /** The cursor a token stands for; IllegalArgumentException for anything a page did not hand out. */
    public static Cursor parse(String token) {
      Matcher m = token == null ? null : TOKEN.matcher(token);
      if (m == null || !m.matches()) {
        throw new IllegalArgumentException("before: not a cursor from a previous page");
      }
      try {
        return new Cursor(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("before: not a cursor from a previous page");
      }
    }
  }

  /** One page of records; {@code next} is the cursor for the page after it, null when this was the last. */
  public record Page(List<JsonObject> entries, String next) {}
}
