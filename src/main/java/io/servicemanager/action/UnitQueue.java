package io.servicemanager.action;

import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.systemd.Action;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * One unit's jobs, run one at a time in the order asked. A request joins only the job that would
 * run last anyway — the one running when nothing waits behind it, else the last one waiting — so
 * a caller's answer always tells the state reached after everything asked before them. Lives on
 * the action verticle's context.
 */
final class UnitQueue {
  private final String unit;
  private final Function<Job, Future<Void>> runner;
  private final Runnable onIdle;
  private Job running;
  private final Deque<Job> waiting = new ArrayDeque<>();

  /**
   * @param runner runs a job; its future completes only once systemd has finished it
   * @param onIdle called when the last job has finished and nothing waits
   */
  UnitQueue(String unit, Function<Job, Future<Void>> runner, Runnable onIdle) {
    this.unit = unit;
    this.runner = runner;
    this.onIdle = onIdle;
  }

  Future<JsonObject> submit(ServiceDefinition def, Action action, String user) {
    Job last = waiting.isEmpty() ? running : waiting.peekLast();
    Job job = last != null && last.joinable(action) ? last : null;
    if (job == null) {
      job = new Job(unit, action);
      waiting.addLast(job);
    }
    Future<JsonObject> answer = job.join(def, user);
    if (running == null) {
      next();
    }
    return answer;
  }

  private void next() {
    running = waiting.pollFirst();
    if (running == null) {
      onIdle.run();
      return;
    }
    runner.apply(running).onComplete(done -> {
      running = null;
      next();
    });
  }

  /**
   * One caller of a job: answered, and recorded, under its own service name and identity. The
   * answer completes on the thread that learns the record is durable, which may be none of Vert.x's
   * contexts: what listens to it must be thread-safe (an event-bus reply is).
   */
  record Caller(ServiceDefinition def, String user, Promise<JsonObject> answer) {}

  /** One systemd job and everyone who asked for it. */
  static final class Job {
    final String unit;
    final Action action;
    final List<Caller> callers = new ArrayList<>();
    /** Once the answers went out (at the job's end or our timeout), nobody joins any more. */
    boolean answered;

    Job(String unit, Action action) {
      this.unit = unit;
      this.action = action;
    }

    boolean joinable(Action requested) {
      return !answered && action == requested;
    }

    Future<JsonObject> join(ServiceDefinition def, String user) {
      Caller caller = new Caller(def, user, Promise.promise());
      callers.add(caller);
      return caller.answer().future();
    }
  }
}
