package io.servicemanager.insight;

import io.servicemanager.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The insight database's transitions (DESIGN §3), deployed by {@link InsightVerticle} as its child
 * on the store it opened: Vert.x stops a child before its parent, so the stop's gap is written
 * before the store closes.
 *
 * <ul>
 *   <li>at start, ends the gap the last stop (or bus loss) left open; at stop, writes what the
 *       recorder still holds and opens a {@code stopped} gap;
 *   <li>answers {@code servicemanager.insight.timeline} {@code {service, from, to, limit}} (epoch
 *       milliseconds) with a timeline, {@code servicemanager.insight.timelines} {@code {services, from,
 *       to, window, limit}} with several services' timelines over one window,
 *       {@code servicemanager.insight.stats} {@code {service, from, to,
 *       window}} with statistics and {@code servicemanager.insight.ranking} {@code {services, from,
 *       to, window}} with the services ranked by trouble ({@link InsightJson}).
 * </ul>
 *
 * Who may ask about which service is not decided here: the caller checked it with its Audience.
 */
public final class TransitionVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TransitionVerticle.class);

  /** Transitions go to disk in batches: at most 500 at once, a quarter second after the first. */
  private static final Duration FLUSH_EVERY = Duration.ofMillis(250);
  private static final int MAX_BATCH = 500;

  private final InsightStore store;
  private TransitionStore transitions;
  private TransitionRecorder recorder;

  public TransitionVerticle(InsightStore store) {
    this.store = store;
  }

  /** Where the status verticle's transitions go; set once this verticle has started. */
  public TransitionStore transitions() {
    return transitions;
  }

  public TransitionRecorder recorder() {
    return recorder;
  }

  @Override
  public Future<?> start() {
    transitions = new TransitionStore(store);
    recorder = new TransitionRecorder(vertx, transitions, FLUSH_EVERY, MAX_BATCH);
    return listen();
  }

  private Future<Integer> listen() {
    vertx.eventBus().<JsonObject>consumer(Addresses.INSIGHT_TIMELINE, this::timeline);
    vertx.eventBus().<JsonObject>consumer(Addresses.INSIGHT_TIMELINES, this::timelines);
    vertx.eventBus().<JsonObject>consumer(Addresses.INSIGHT_STATS, this::stats);
    vertx.eventBus().<JsonObject>consumer(Addresses.INSIGHT_RANKING, this::ranking);
    return transitions.closeOpenGaps(Instant.now());
  }

  @Override
  public Future<?> stop() {
    return recorder.close()
        .eventually(() -> transitions.recordGap(new Gap(Instant.now(), null, Gap.Kind.STOPPED)))
        .onFailure(e -> LOG.warn("the stop could not be recorded as a gap: {}", e.getMessage()));
  }

  private void timeline(Message<JsonObject> m) {
    JsonObject q = m.body();
    Instant from = Instant.ofEpochMilli(q.getLong("from"));
    Instant to = Instant.ofEpochMilli(q.getLong("to"));
    answer(m, written().compose(v -> transitions.timeline(q.getString("service"), from, to, q.getInteger("limit")))
        .map(t -> InsightJson.timeline(q.getString("service"), from, to, t)));
  }

  private void timelines(Message<JsonObject> m) {
    JsonObject q = m.body();
    Instant from = Instant.ofEpochMilli(q.getLong("from"));
    Instant to = Instant.ofEpochMilli(q.getLong("to"));
    List<String> services = q.getJsonArray("services", new JsonArray()).stream().map(String.class::cast).toList();
    answer(m, written().compose(v -> transitions.timelines(services, from, to, q.getInteger("limit")))
        .map(t -> InsightJson.timelines(q.getString("window"), from, to, t)));
  }

  private void stats(Message<JsonObject> m) {
    JsonObject q = m.body();
    answer(m, written().compose(v -> statistics(q.getString("service"), q)));
  }

  private void ranking(Message<JsonObject> m) {
    JsonObject q = m.body();
    // One after the other: the read thread is one, so asking all at once would not be faster.
    Future<List<JsonObject>> all = written().map(v -> new ArrayList<>());
    for (Object service : q.getJsonArray("services", new JsonArray())) {
      all = all.compose(list -> statistics((String) service, q).map(s -> {
        list.add(s);
        return list;
      }));
    }
    answer(m, all.map(list -> InsightJson.ranking(q.getString("window"), list)));
  }

  /** What was recorded before a question is part of its answer: the recorder's buffer goes to disk first. */
  private Future<Void> written() {
    return recorder.flush().recover(e -> Future.succeededFuture());
  }

  private Future<JsonObject> statistics(String service, JsonObject q) {
    return transitions.statistics(service, Instant.ofEpochMilli(q.getLong("from")), Instant.ofEpochMilli(q.getLong("to")))
        .map(s -> InsightJson.statistics(s, q.getString("window")));
  }

  private static void answer(Message<JsonObject> m, Future<JsonObject> answer) {
    answer.onSuccess(m::reply).onFailure(e -> {
      LOG.error("reading insight failed", e);
      m.fail(500, e.getMessage());
    });
  }
}
