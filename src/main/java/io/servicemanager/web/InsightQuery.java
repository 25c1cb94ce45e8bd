package io.servicemanager.web;

import io.servicemanager.ErrorCode;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parameters of the insight routes, validated: {@code from}, {@code to} and {@code limit} of a
 * timeline, {@code window} of statistics. Unknown or repeated parameters are errors, as for the
 * history, so a typo never silently changes the answer; every problem names its parameter.
 *
 * @param window the statistics window's name ("24h", "7d", "30d")
 */
record InsightQuery(Instant from, Instant to, int limit, String window) {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  static final Duration DEFAULT_SPAN = Duration.ofHours(24);
  static final Map<String, Duration> WINDOWS = windows();
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

  /** Either a query, or the code and message of what is wrong with it. */
  record Parsed(InsightQuery query, ErrorCode code, String error) {
    boolean valid() {
      return error == null;
    }

    /** The query; or null once {@code ctx} has been answered with what is wrong with it. */
    InsightQuery orFail(RoutingContext ctx) {
      if (!valid()) {
        HttpVerticle.fail(ctx, code, error);
        return null;
      }
      return query;
    }
  }

  /** The store's question about this range: {"from", "to"} in epoch milliseconds. */
  JsonObject range() {
    return new JsonObject().put("from", from.toEpochMilli()).put("to", to.toEpochMilli());
  }

  /** The range and its {@code window}'s name, as the statistics and timelines of a window are asked. */
  JsonObject ofWindow() {
    return range().put("window", window);
  }

  /** {@code ?from=&to=&limit=}: times ISO-8601 (default: the last 24 h up to now), limit 1 to 1000 (100). */
  static Parsed timeline(MultiMap params, Instant now) {
    Errors errors = new Errors();
    Map<String, String> p = single(params, Set.of("from", "to", "limit"), errors);
    Instant to = p.containsKey("to") ? time("to", p.get("to"), errors) : now;
    Instant from = p.containsKey("from") ? time("from", p.get("from"), errors)
        : to == null ? null : to.minus(DEFAULT_SPAN);
    String value = p.getOrDefault("limit", Integer.toString(DEFAULT_LIMIT));
    int limit = DIGITS.matcher(value).matches() ? Integer.parseInt(value) : -1;
    if (p.containsKey("limit")) {
      if (limit < 1 || limit > MAX_LIMIT) {
        errors.add(ErrorCode.INVALID_LIMIT, "limit: must be a whole number from 1 to " + MAX_LIMIT + " (got "
            + ErrorCode.quote(value) + ")");
      }
    }
    if (from != null && to != null && !from.isBefore(to)) {
      errors.add(ErrorCode.INVALID_TIME, "from: must be before to (" + from + " is not before " + to + ")");
    }
    return errors.result(() -> new InsightQuery(from, to, limit, null));
  }

  /** {@code ?window=24h|7d|30d} (default 24h): the window ends now. */
  static Parsed window(MultiMap params, Instant now) {
    Errors errors = new Errors();
    Map<String, String> p = single(params, Set.of("window"), errors);
    String window = p.getOrDefault("window", "24h");
    Duration span = WINDOWS.get(window);
    if (span == null && p.containsKey("window")) {
      errors.add(ErrorCode.INVALID_WINDOW, "window: must be one of " + String.join(", ", WINDOWS.keySet())
          + " (got " + ErrorCode.quote(window) + ")");
    }
    return errors.result(() -> new InsightQuery(now.minus(span), now, 0, window));
  }

  private static Instant time(String name, String value, Errors errors) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      errors.add(ErrorCode.INVALID_TIME, name + ": must be an ISO-8601 UTC time such as 2026-11-28T10:31:02Z (got "
          + ErrorCode.quote(value) + ")");
      return null;
    }
  }

  /** Each allowed parameter's one value; unknown and repeated ones are errors. */
  private static Map<String, String> single(MultiMap params, Set<String> allowed, Errors errors) {
    Map<String, List<String>> byName = new LinkedHashMap<>();
    for (Map.Entry<String, String> param : params) {
      byName.computeIfAbsent(param.getKey(), k -> new ArrayList<>()).add(param.getValue() == null ? "" : param.getValue());
    }
    Map<String, String> out = new LinkedHashMap<>();
    byName.forEach((name, values) -> {
      if (!allowed.contains(name)) {
        errors.add(ErrorCode.BAD_REQUEST, "unknown parameter " + ErrorCode.quote(name) + "; use "
            + String.join(", ", allowed.stream().sorted().toList()));
      } else if (values.size() > 1) {
        errors.add(ErrorCode.BAD_REQUEST, name + ": given " + values.size() + " times; give it at most once");
      } else {
        out.put(name, values.get(0));
      }
    });
    return out;
  }

  private static Map<String, Duration> windows() {
    Map<String, Duration> w = new LinkedHashMap<>();
    w.put("24h", Duration.ofHours(24));
    w.put("7d", Duration.ofDays(7));
    w.put("30d", Duration.ofDays(30));
    return java.util.Collections.unmodifiableMap(w);
  }

  /** Every problem found; the first one's code answers for all. */
  private static final class Errors {
    private ErrorCode code;
    private final List<String> messages = new ArrayList<>();

    void add(ErrorCode c, String message) {
      if (code == null) {
        code = c;
      }
      messages.add(message);
    }

    Parsed result(java.util.function.Supplier<InsightQuery> query) {
      return messages.isEmpty() ? new Parsed(query.get(), null, null)
          : new Parsed(null, code, String.join("; ", messages));
    }
  }
}
