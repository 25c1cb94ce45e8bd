package io.servicemanager.history;

import io.servicemanager.ErrorCode;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parameters of {@code GET /api/history?service=&limit=}, validated.
 *
 * @param service only this service's records; null for all
 * @param limit how many records at most, 1 to {@link #MAX_LIMIT}
 */
public record HistoryQuery(String service, int limit) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;
  public static final int MAX_SERVICE_LENGTH = 255;
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

  public HistoryQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + " (got " + limit + ")");
    }
    if (service != null && (service.isEmpty() || service.length() > MAX_SERVICE_LENGTH)) {
      throw new IllegalArgumentException("service must be 1 to " + MAX_SERVICE_LENGTH + " characters");
    }
  }

  /** Either a query, or the reason there is none (every problem, each naming its parameter). */
  public record Parsed(HistoryQuery query, String error) {
    public boolean valid() {
      return error == null;
    }
  }

  /**
   * Reads request parameters: {@code service} (optional, 1 to 255 characters) and {@code limit}
   * (optional, a whole number from 1 to 1000, default 100). Unknown or repeated parameters are
   * errors, so a typo never silently widens the answer. Names are matched exactly.
   */
  public static Parsed parse(MultiMap params) {
    Map<String, List<String>> byName = new LinkedHashMap<>();
    for (Map.Entry<String, String> param : params) {
      byName.computeIfAbsent(param.getKey(), k -> new ArrayList<>()).add(param.getValue() == null ? "" : param.getValue());
    }
    List<String> errors = new ArrayList<>();
    String service = null;
    int limit = DEFAULT_LIMIT;
    for (Map.Entry<String, List<String>> param : byName.entrySet()) {
      String name = param.getKey();
      List<String> values = param.getValue();
      if (!name.equals("service") && !name.equals("limit")) {
        errors.add("unknown parameter " + ErrorCode.quote(name) + "; use service and limit");
      } else if (values.size() > 1) {
        errors.add(name + ": given " + values.size() + " times; give it at most once");
      } else if (name.equals("service")) {
        String value = values.get(0);
        if (value.isEmpty()) {
          errors.add("service: must not be empty; leave it out for every service");
        } else if (value.length() > MAX_SERVICE_LENGTH) {
          errors.add("service: must be at most " + MAX_SERVICE_LENGTH + " characters (got " + value.length() + ")");
        } else {
          service = value;
        }
      } else {
        String value = values.get(0);
        int n = DIGITS.matcher(value).matches() ? Integer.parseInt(value) : -1;
        if (n < 1 || n > MAX_LIMIT) {
          errors.add("limit: must be a whole number from 1 to " + MAX_LIMIT + " (got " + ErrorCode.quote(value) + ")");
        } else {
          limit = n;
        }
      }
    }
    return errors.isEmpty()
        ? new Parsed(new HistoryQuery(service, limit), null)
        : new Parsed(null, String.join("; ", errors));
  }
}
