package io.servicemanager.insight;

import io.servicemanager.insight.FailurePatterns.Burst;
import io.servicemanager.insight.FailurePatterns.EarlyCrash;
import io.servicemanager.insight.FailurePatterns.Pattern;
import io.servicemanager.insight.Transition.Cause;
import io.servicemanager.insight.Uptime.Failure;
import io.servicemanager.status.ServiceView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The wire shapes of insight (README, openapi.yaml): statistics, timelines, the ranking by trouble. */
public final class InsightJson {
  private InsightJson() {}

  /** {@code GET /api/services/{name}/stats}: the figures of one window, and what they mean in words. */
  public static JsonObject statistics(ServiceStatistics s, String window) {
    Uptime.Figures u = s.uptime();
    Map<String, String> words = new HashMap<>();
    s.patterns().forEach(p -> words.put(p.reason(), p.words()));
    JsonObject restarts = new JsonObject();
    for (Cause c : Cause.values()) {
      restarts.put(c.wire(), u.restarts().getOrDefault(c, 0));
    }
    List<Failure> failures = u.failures();
    Failure last = failures.isEmpty() ? null : failures.get(failures.size() - 1);
    JsonArray patterns = new JsonArray();
    for (Pattern p : s.patterns()) {
      patterns.add(new JsonObject().put("reason", p.reason()).put("words", words(p.words(), p.reason()))
          .put("count", p.count()).put("first", iso(p.first())).put("last", iso(p.last())));
    }
    JsonArray early = new JsonArray();
    for (EarlyCrash e : s.earlyCrashes()) {
      early.add(new JsonObject().put("started_at", iso(e.started())).put("failed_at", iso(e.failed()))
          .put("after_ms", e.after().toMillis()).put("reason", e.reason())
          .put("words", "crashed " + seconds(e.after()) + " after a start was reported successful"));
    }
    OperationFigures ops = s.operations();
    return new JsonObject()
        .put("service", s.service())
        .put("window", window)
        .put("from", iso(s.from()))
        .put("to", iso(s.to()))
        .put("uptime_percent", u.uptimePercent())
        .put("observed_share", u.observedShare())
        .put("up_ms", u.upMs())
        .put("down_ms", u.downMs())
        .put("failures", failures.size())
        .put("restarts", restarts)
        .put("mtbf_ms", u.mtbfMs())
        .put("mttr_ms", u.mttrMs())
        .put("streak", u.streak() == null ? null : new JsonObject().put("up", u.streak().up())
            .put("since", iso(u.streak().since())).put("exact", u.streak().exact()))
        .put("last_failure", last == null ? null : new JsonObject().put("at", iso(last.at()))
            .put("reason", last.reason()).put("words", words(words.get(last.reason()), last.reason())))
        .put("patterns", patterns)
        .put("flapping", flapping(s.worstBurst()))
        .put("early_crashes", early)
        .put("operations", new JsonObject().put("count", ops.count()).put("succeeded", ops.succeeded())
            .put("success_rate", ops.successRate()).put("p50_ms", ops.p50Ms()).put("p95_ms", ops.p95Ms()));
  }

  /** {@code GET /api/services/{name}/timeline}. */
  public static JsonObject timeline(String service, Instant from, Instant to, TransitionStore.Timeline t) {
    JsonArray transitions = new JsonArray();
    t.transitions().forEach(x -> transitions.add(x.toJson()));
    return new JsonObject().put("service", service).put("from", iso(from)).put("to", iso(to))
        .put("transitions", transitions).put("gaps", gaps(t.gaps())).put("truncated", t.truncated());
  }

  /**
   * {@code GET /api/timeline}: several services' timelines over one window, each transition only
   * with what a small state bar draws ({@code at, from, to, message}), the gaps once for all.
   */
  public static JsonObject timelines(String window, Instant from, Instant to, TransitionStore.Timelines t) {
    JsonArray services = new JsonArray();
    t.services().forEach((service, latest) -> {
      JsonArray transitions = new JsonArray();
      latest.transitions().forEach(x -> transitions.add(new JsonObject().put("at", iso(x.at())).put("from", x.from())
          .put("to", x.to()).put("message", x.message())));
      services.add(new JsonObject().put("service", service).put("transitions", transitions)
          .put("truncated", latest.truncated()));
    });
    return new JsonObject().put("window", window).put("from", iso(from)).put("to", iso(to))
        .put("gaps", gaps(t.gaps())).put("services", services);
  }

  private static JsonArray gaps(List<Gap> list) {
    JsonArray gaps = new JsonArray();
    list.forEach(g -> gaps.add(new JsonObject().put("start", iso(g.start())).put("end", iso(g.end()))
        .put("kind", g.kind().wire())));
    return gaps;
  }

  /**
   * The services' statistics, most trouble first: more failures, then more time down, then a lower
   * uptime; a service with no trouble keeps its place after those with some.
   */
  public static JsonObject ranking(String window, List<JsonObject> statistics) {
    Comparator<JsonObject> trouble = Comparator.<JsonObject>comparingInt(j -> j.getInteger("failures")).reversed()
        .thenComparing(Comparator.<JsonObject>comparingLong(j -> j.getLong("down_ms")).reversed())
        .thenComparingDouble(j -> j.getDouble("uptime_percent") == null ? 100.0 : j.getDouble("uptime_percent"));
    JsonArray ranked = new JsonArray();
    statistics.stream().sorted(trouble).forEach(ranked::add);
    return new JsonObject().put("window", window).put("services", ranked);
  }

  private static JsonObject flapping(Burst burst) {
    if (!burst.flapping()) {
      return null;
    }
    return new JsonObject().put("count", burst.count()).put("first", iso(burst.first())).put("last", iso(burst.last()))
        .put("words", "failed " + burst.count() + " times in " + FailurePatterns.FLAPPING_WINDOW.toMinutes() + " min");
  }

  private static String words(String words, String reason) {
    return words != null ? words : FailureReason.of(reason).map(FailureReason::words).orElse(reason);
  }

  private static String seconds(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s < 120 ? s + " s" : d.toMinutes() + " min";
  }

  private static String iso(Instant at) {
    return at == null ? null : ServiceView.iso(at);
  }
}
