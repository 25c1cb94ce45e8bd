package io.servicemanager.systemd;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The job helper, as go-systemd's {@code startJob}: queues a job, matches its JobRemoved, reads the
 * unit as the job left it and judges the outcome ({@link JobJudge}). Sees every signal of its
 * connection before the subscriber does ({@link #watching}); lives on the context that connected,
 * and {@link #run} is called there.
 */
final class Jobs {
  /** The D-Bus calls a job needs; both complete on the caller's context. */
  interface Calls {
    Future<String> submit(String unit, Action action);

    Future<UnitSnapshot> read(String unit);
  }

  private final Vertx vertx;
  private final Calls calls;
  private final List<JobWatch> running = new ArrayList<>();

  Jobs(Vertx vertx, Calls calls) {
    this.vertx = vertx;
    this.calls = calls;
  }

  /**
   * Runs one job to its verdict. The watch is registered before the call is sent, so a JobRemoved
   * that overtakes the call's reply is kept, not lost.
   */
  Future<JobOutcome> run(String unit, Action action, Duration settle) {
    Instant at = Instant.now();
    long started = System.nanoTime();
    JobWatch watch = new JobWatch(unit);
    running.add(watch);
    return calls.submit(unit, action)
        .compose(job -> {
          Future<String> removed = watch.queued(job);
          // Sent once the job is queued, not before: systemd answers in order, and a read ahead
          // of the job would delay it.
          Future<UnitSnapshot> during = removed.isComplete() ? null : readFor(watch);
          return removed.compose(result -> stateAtEnd(watch, during)
              .compose(after -> verdict(watch, action, result, after, settle)));
        })
        .map(outcome -> outcome.timed(at, (System.nanoTime() - started) / 1_000_000))
        .onComplete(ar -> running.remove(watch));
  }

  private Future<UnitSnapshot> readFor(JobWatch watch) {
    watch.readSent();
    return calls.read(watch.unit);
  }

  /** The read sent while the job ran, with the changes signalled until JobRemoved; else a fresh read. */
  private Future<UnitSnapshot> stateAtEnd(JobWatch watch, Future<UnitSnapshot> during) {
    Map<String, Object> overlay = watch.overlay().orElse(null);
    if (during == null || overlay == null) {
      return calls.read(watch.unit);
    }
    return during.map(read -> read.merge(overlay)).recover(e -> calls.read(watch.unit));
  }

  /** A freshly started simple service must keep running for {@code settle} before it counts as started. */
  private Future<JobOutcome> verdict(JobWatch watch, Action action, String result, UnitSnapshot after,
      Duration settle) {
    if (!"done".equals(result) || settle.isZero() || settle.isNegative() || !JobJudge.needsSettle(action, after)) {
      return Future.succeededFuture(JobJudge.judge(action, result, after));
    }
    Promise<Void> timer = Promise.promise();
    long id = vertx.setTimer(settle.toMillis(), t -> timer.tryComplete());
    return watch.settle(timer)
        .compose(v -> {
          vertx.cancelTimer(id);
          return calls.read(watch.unit);
        })
        .map(now -> JobJudge.judge(action, result, now));
  }

  /** {@code events}, with every signal seen by the jobs in flight first. */
  SystemdEvents watching(SystemdEvents events) {
    return new SystemdEvents() {
      @Override
      public void propertiesChanged(String path, Map<String, Object> changed) {
        propertiesChanged(path, changed, System.nanoTime());
      }

      @Override
      public void propertiesChanged(String path, Map<String, Object> changed, long receivedNanos) {
        forEach(w -> w.changed(path, changed));
        events.propertiesChanged(path, changed, receivedNanos);
      }

      @Override
      public void unitNew(String unit, String path) {
        forEach(w -> w.loadedAnew(path));
        events.unitNew(unit, path);
      }

      @Override
      public void reloaded() {
        forEach(w -> w.loadedAnew(null));
        events.reloaded();
      }

      @Override
      public void jobRemoved(long id, String jobPath, String unit, String result) {
        forEach(w -> w.jobRemoved(jobPath, unit, result));
        events.jobRemoved(id, jobPath, unit, result);
      }

      @Override
      public void disconnected(String reason) {
        forEach(JobWatch::lost);
        events.disconnected(reason);
      }
    };
  }

  /** Over a copy: a watch may end, and leave the list, while it handles a signal. */
  private void forEach(java.util.function.Consumer<JobWatch> action) {
    if (!running.isEmpty()) {
      List.copyOf(running).forEach(action);
    }
  }
}
