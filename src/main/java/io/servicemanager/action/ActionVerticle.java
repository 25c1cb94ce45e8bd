package io.servicemanager.action;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Audience;
import io.servicemanager.auth.Identity;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.systemd.Action;
import io.servicemanager.systemd.BusKeeper;
import io.servicemanager.systemd.JobOutcome;
import io.servicemanager.systemd.SystemdClient;
import io.servicemanager.systemd.SystemdEvents;
import io.servicemanager.web.WireFormat;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single authority for changes (DESIGN §2, §4, §6).
 *
 * <ul>
 *   <li>answers {@code servicemanager.action} {@code {service, action, identity}} with
 *       {@code {"status":"success","result":"done",…}} or {@code {"status":"error","code":…,…}}; the
 *       code is an {@link ErrorCode} wire name. Identity, service, role, action and permission are
 *       checked before any D-Bus call: no identity → unauthorized; a service outside the identity's
 *       list → unknown_service, as if it did not exist; a viewer → forbidden. The identity's name
 *       is the user recorded;
 *   <li>publishes {@code servicemanager.operation} (an {@link OperationRecord}) for every caller
 *       of an action that reached systemd, after it is in the {@link OperationLog};
 *   <li>publishes {@code servicemanager.operation.begun} {@code {service, unit, action, user}} (the
 *       first caller's) as a job goes to systemd, so state changes while it runs are its.
 * </ul>
 *
 * <p>Jobs for one unit run one at a time, in the order asked; a request for the action that would
 * run last anyway joins it and gets the same outcome (see {@link UnitQueue}). Running a job and
 * judging it is the client's ({@link SystemdClient#runJob}); this verticle keeps the authority, the
 * queue and the recording.
 */
public final class ActionVerticle extends VerticleBase implements SystemdEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ActionVerticle.class);

  private final SystemdClient systemd;
  private final OperationLog log;
  private final long jobTimeoutMs;
  private final Duration settle;
  private ServiceCatalogue catalogue;
  private BusKeeper bus;
  private final Map<String, UnitQueue> queues = new HashMap<>();

  /**
   * @param jobTimeoutMs after this the caller is answered "timeout" while systemd's job goes on
   * @param settleMs how long a started {@code Type=simple} service must keep running to count as started
   */
  public ActionVerticle(SystemdClient systemd, ServiceCatalogue catalogue, OperationLog log,
      long jobTimeoutMs, long settleMs) {
    this.systemd = systemd;
    this.catalogue = catalogue;
    this.log = log;
    this.jobTimeoutMs = jobTimeoutMs;
    this.settle = Duration.ofMillis(settleMs);
  }

  @Override
  public Future<?> start() {
    bus = new BusKeeper(vertx, systemd, this, "actions", Future::succeededFuture, () -> {});
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG, m -> {
      if (m.body().containsKey("services")) {
        apply(ServiceCatalogue.fromJson(m.body()));
      }
    });
    // Deployed once the first connection attempt has ended: a request right after start-up is
    // not refused as bus_unavailable merely because the connection was still being made.
    return bus.start().compose(v -> vertx.eventBus().consumer(Addresses.ACTION, this::handle).completion());
  }

  @Override
  public Future<?> stop() {
    return bus.stop().eventually(() -> log.close());
  }

  /** A reloaded catalogue: later requests are checked against it; running jobs finish as they are. */
  public void apply(ServiceCatalogue next) {
    catalogue = next;
  }

  private void handle(Message<JsonObject> message) {
    JsonObject body = message.body();
    Object service = body == null ? null : body.getValue("service");
    Object action = body == null ? null : body.getValue("action");
    Identity who = body == null ? null : Identity.fromJson(body.getValue("identity")).orElse(null);
    if (who == null) {
      message.reply(error(ErrorCode.UNAUTHORIZED, "an action needs the caller's identity"));
      return;
    }
    if (!(service instanceof String name) || !(action instanceof String verb)) {
      message.reply(error(ErrorCode.BAD_REQUEST, "an action needs string \"service\" and \"action\""));
      return;
    }
    ServiceDefinition def = catalogue.find(name).filter(d -> Audience.of(who).knows(d.name())).orElse(null);
    if (def == null) {
      message.reply(error(ErrorCode.UNKNOWN_SERVICE, "no service named " + ErrorCode.quote(name)));
      return;
    }
    if (!who.mayAct()) {
      message.reply(error(ErrorCode.FORBIDDEN, who.name() + " may only view (role " + who.role().value() + ")"));
      return;
    }
    Action asked = Action.parse(verb).orElse(null);
    if (asked == null) {
      message.reply(error(ErrorCode.INVALID_ACTION,
          ErrorCode.quote(verb) + " is not an action; use one of " + String.join(", ", Action.WORDS)));
      return;
    }
    if (!def.permission().allows(asked)) {
      message.reply(error(ErrorCode.FORBIDDEN, def.name() + " allows only "
          + String.join(", ", def.permission().allowedActions()) + " (permission level " + def.permission().value() + ")"));
      return;
    }
    if (!systemd.isConnected()) {
      message.reply(error(ErrorCode.BUS_UNAVAILABLE, "systemd cannot be reached over D-Bus"));
      return;
    }
    queues.computeIfAbsent(def.unit(), unit -> new UnitQueue(unit, this::run, () -> queues.remove(unit)))
        .submit(def, asked, who.name()).onComplete(ar -> { // on the thread that recorded it, see finish
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        LOG.error("action {} on {} failed unexpectedly", verb, def.name(), ar.cause());
        message.reply(error(ErrorCode.INTERNAL_ERROR, "internal error: " + ar.cause().getMessage()));
      }
    });
  }

  /**
   * Runs one job to its end. The caller's answer may go out earlier (our timeout); the returned
   * future completes only when systemd has finished, so the next job never overlaps it.
   */
  private Future<Void> run(UnitQueue.Job job) {
    Instant at = Instant.now();
    long started = System.nanoTime();
    UnitQueue.Caller first = job.callers.get(0);
    vertx.eventBus().publish(Addresses.OPERATION_BEGUN, new JsonObject().put("service", first.def().name())
        .put("unit", job.unit).put("action", job.action.word()).put("user", first.user()));
    long timer = vertx.setTimer(jobTimeoutMs, id -> finish(job, JobOutcome.unfinished("timeout",
        "systemd did not finish the " + job.action.word() + " within " + jobTimeoutMs / 1000 + " s; the job goes on",
        at, elapsedMs(started))));
    return systemd.runJob(job.unit, job.action, settle)
        .recover(e -> Future.succeededFuture(JobOutcome.unfinished("failed",
            job.action.word() + " refused by systemd: " + e.getMessage(), at, elapsedMs(started))))
        .compose(outcome -> {
          vertx.cancelTimer(timer);
          return finish(job, outcome);
        });
  }

  private static long elapsedMs(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /**
   * Records the outcome once per caller, each under its own identity, then answers them — once,
   * even when our timeout answered first. All callers' records are made durable together before
   * any of them is answered; when they cannot be, no caller is told the action succeeded: an
   * answer is never an acknowledgement the history does not hold.
   */
  private Future<Void> finish(UnitQueue.Job job, JobOutcome full) {
    if (job.answered) {
      return Future.succeededFuture();
    }
    job.answered = true;
    List<JsonObject> records = new ArrayList<>(job.callers.size());
    List<JsonObject> answers = new ArrayList<>(job.callers.size());
    for (UnitQueue.Caller caller : job.callers) {
      JobOutcome outcome = caller.def().statusCheckAllowed() ? full : full.redacted(job.action);
      records.add(OperationRecord.of(caller.def(), job.action, caller.user(), outcome));
      answers.add(answer(caller.def(), job.action, outcome));
    }
    List<UnitQueue.Caller> callers = List.copyOf(job.callers);
    // The answers go out on the thread that learns the commit (the store's writer thread), not after
    // a hop back here: an answer is an event-bus reply, which any thread may send, and it touches
    // nothing of this verticle's state.
    return log.appendAll(records, ar -> {
          if (ar.failed()) {
            LOG.error("could not record {} of {}: {}", job.action, job.unit, ar.cause().getMessage());
          }
          for (int i = 0; i < answers.size(); i++) {
            JsonObject answer = ar.succeeded() ? answers.get(i) : unrecorded(answers.get(i), ar.cause());
            callers.get(i).answer().tryComplete(answer);
          }
        })
        // After the answers: the record is durable already, and its publish (a copy for each
        // consumer, views published again, pushes to every client) need not delay them.
        .onSuccess(v -> records.forEach(record -> vertx.eventBus().publish(Addresses.OPERATION, record)))
        .mapEmpty();
  }

  private static JsonObject answer(ServiceDefinition def, Action action, JobOutcome outcome) {
    JsonObject answer = new JsonObject()
        .put("status", outcome.success() ? "success" : "error")
        .put("result", outcome.result())
        .put("message", def.name() + ": " + outcome.message())
        .put("service", def.name())
        .put("action", action.word())
        .put("duration_ms", outcome.durationMs());
    if (!outcome.success()) {
      answer.put("code", ErrorCode.JOB_FAILED.code());
    }
    return answer.put("systemd_result", outcome.systemdResult()).put("exit_status", outcome.exitStatus());
  }

  /** What systemd did, said as an error: the action happened, but nothing on disk confirms it. */
  private static JsonObject unrecorded(JsonObject answer, Throwable cause) {
    return error(ErrorCode.INTERNAL_ERROR, answer.getString("service") + ": the " + answer.getString("action")
        + " ended (" + answer.getString("result") + ") but could not be recorded in the history, so it is not confirmed: "
        + cause.getMessage());
  }

  private static JsonObject error(ErrorCode code, String message) {
    return WireFormat.actionFailure(code, message);
  }


  @Override
  public void disconnected(String reason) {
    bus.lost(reason);
  }
}
