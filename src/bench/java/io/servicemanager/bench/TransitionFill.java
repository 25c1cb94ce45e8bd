package io.servicemanager.bench;

import io.servicemanager.insight.FailureReason;
import io.servicemanager.insight.Gap;
import io.servicemanager.insight.Transition;
import io.servicemanager.insight.Transition.Cause;
import io.servicemanager.insight.TransitionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fills a {@link TransitionStore} through its own write path ({@code append} in batches, one
 * transaction and fsync each) with a plausible life of one service: starts and stops by operators,
 * crashes with exit codes and signals, systemd restarting after failures, the odd out-of-memory kill
 * or start timeout, and gaps (Service Manager stopped, crashed or off the bus). Seeded: every run
 * writes the same rows.
 */
final class TransitionFill {
  static final int BATCH = 1_000;

  private final TransitionStore store;
  private final SplittableRandom random;

  TransitionFill(TransitionStore store, long seed) {
    this.store = store;
    this.random = new SplittableRandom(seed);
  }

  /** {@code count} transitions of {@code service}, evenly spread (with jitter) over [from, to); a gap every ~3 days. */
  void fill(String service, int count, Instant from, Instant to) {
    long spanMs = Duration.between(from, to).toMillis();
    double stepMs = (double) spanMs / count;
    List<Transition> batch = new ArrayList<>(BATCH);
    long nextGapAt = from.toEpochMilli() + (long) (3 * 86_400_000L * random.nextDouble());
    String state = "inactive";
    long restarts = 0;
    for (int i = 0; i < count; i++) {
      long atMs = from.toEpochMilli() + (long) (i * stepMs + random.nextDouble() * stepMs * 0.9);
      Instant at = Instant.ofEpochMilli(atMs);
      if (atMs >= nextGapAt) {
        Gap.Kind kind = List.of(Gap.Kind.STOPPED, Gap.Kind.CRASHED, Gap.Kind.BUS_LOST).get(random.nextInt(3));
        store.recordGap(new Gap(at, at.plusSeconds(60 + random.nextInt(3_600)), kind)).await();
        nextGapAt = atMs + (long) (86_400_000L * (2 + 2 * random.nextDouble()));
      }
      Transition t = next(service, at, state, restarts);
      if ("systemd".equals(t.cause().wire()) && t.nRestarts() != null) {
        restarts = t.nRestarts();
      }
      state = t.to();
      batch.add(t);
      if (batch.size() == BATCH) {
        store.append(batch).await();
        batch.clear();
      }
    }
    store.append(batch).await();
  }

  /** The next step of the service's life from {@code state}. */
  private Transition next(String service, Instant at, String state, long restarts) {
    int roll = random.nextInt(100);
    return switch (state) {
      case "inactive" -> row(at, service, state, "activating", "start", "success", null, null, null, null,
          Cause.OPERATION, "alice", null);
      case "activating" -> roll < 3
          ? row(at, service, state, "failed", "failed", "timeout", null, null, null, restarts, Cause.SYSTEMD, null,
              FailureReason.of("timeout", null, null, "activating", 90L).orElseThrow())
          : roll < 5
          ? row(at, service, state, "failed", "failed", "start-limit-hit", null, null, null, restarts, Cause.SYSTEMD,
              null, FailureReason.of("start-limit-hit").orElseThrow())
          : row(at, service, state, "active", "running", "success", "exited", null, null, restarts,
              roll < 60 ? Cause.OPERATION : Cause.SYSTEMD, roll < 60 ? "alice" : null, null);
      case "active" -> {
        if (roll < 45) {
          yield row(at, service, state, "deactivating", "stop-sigterm", "success", null, null, null, restarts,
              roll < 35 ? Cause.OPERATION : Cause.EXTERNAL, roll < 35 ? "bob" : null, null);
        } else if (roll < 70) {
          // a crash systemd restarts (Restart=on-failure): activating, sub-state auto-restart
          int status = 1 + random.nextInt(3);
          yield row(at, service, state, "activating", "auto-restart", "exit-code", "exited", (long) status, null,
              restarts + 1, Cause.SYSTEMD, null,
              FailureReason.of("exit-code", FailureReason.CLD_EXITED, status, state, null).orElseThrow());
        } else if (roll < 85) {
          yield row(at, service, state, "failed", "failed", "signal", "killed", null, 9, restarts, Cause.EXTERNAL, null,
              FailureReason.of("signal", FailureReason.CLD_KILLED, 9, state, null).orElseThrow());
        } else if (roll < 90) {
          yield row(at, service, state, "failed", "failed", "oom-kill", "killed", null, 9, restarts, Cause.EXTERNAL,
              null, FailureReason.of("oom-kill", FailureReason.CLD_KILLED, 9, state, null).orElseThrow());
        } else {
          yield row(at, service, state, "deactivating", "stop-sigterm", "success", null, null, null, restarts,
              Cause.OPERATION, "carol", null);
        }
      }
      case "deactivating" -> row(at, service, state, "inactive", "dead", "success", "killed", null, 15, restarts,
          Cause.OPERATION, null, null);
      case "failed" -> row(at, service, state, "activating", "start", "success", null, null, null, 0L,
          roll < 70 ? Cause.OPERATION : Cause.SYSTEMD, roll < 70 ? "alice" : null, null);
      default -> throw new IllegalStateException(state);
    };
  }

  private Transition row(Instant at, String service, String from, String to, String sub, String result,
      String exitCode, Long exitStatus, Integer signal, Long nRestarts, Cause cause, String user,
      FailureReason reason) {
    Transition t = new Transition(at, service, service + ".service", from, to, sub, result, exitCode, exitStatus,
        signal, nRestarts, 1_000L + random.nextInt(60_000), cause, user, null, null);
    return reason == null ? t : t.failedWith(reason);
  }
}
