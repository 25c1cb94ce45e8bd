package io.servicemanager.status;

import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.insight.Transition;
import io.servicemanager.insight.Uptime;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What the views tell of a service's recent past: since when it is up, its last failure and its last
 * operation. Learnt from the transitions recorded and the operations published, and at start from
 * the insight database. Touched only on the status verticle's context.
 */
final class RecentFacts {
  /** Unit → when it went up, when that was seen happen; absent: use systemd's own since. */
  private final Map<String, Instant> upSince = new HashMap<>();
  private final Map<String, JsonObject> lastFailure = new HashMap<>();
  private final Map<String, JsonObject> lastOperation = new HashMap<>();

  void transition(Transition t) {
    Boolean up = Uptime.up(t.to());
    Boolean was = t.from() == null ? null : Uptime.up(t.from());
    if (Boolean.TRUE.equals(up) && Boolean.FALSE.equals(was)) {
      upSince.put(t.unit(), t.at());
    } else if (!Boolean.TRUE.equals(up) || was == null) {
      upSince.remove(t.unit());
    }
    if (t.isFailure()) {
      lastFailure.put(t.service(), failure(t));
    }
  }

  /** An operation record as published on {@code servicemanager.operation}. */
  void operation(JsonObject record) {
    lastOperation.put(record.getString("service"), new JsonObject().put("at", record.getString("at"))
        .put("action", record.getString("action")).put("user", record.getString("user"))
        .put("result", record.getString("result")));
  }

  /** What the database knew at start; anything learnt since is newer and stays. */
  void seed(Map<String, Transition> failures, Map<String, JsonObject> operations) {
    failures.forEach((service, t) -> lastFailure.putIfAbsent(service, failure(t)));
    operations.forEach(lastOperation::putIfAbsent);
  }

  ServiceView.Recent of(ServiceDefinition def) {
    return new ServiceView.Recent(upSince.get(def.unit()), lastFailure.get(def.name()), lastOperation.get(def.name()));
  }

  private static JsonObject failure(Transition t) {
    return new JsonObject().put("at", ServiceView.iso(t.at())).put("reason", t.reasonWords());
  }
}
