package io.servicemanager.testing;

import io.servicemanager.systemd.Action;
import io.servicemanager.systemd.JobOutcome;
import io.servicemanager.systemd.SystemdClient;
import io.servicemanager.systemd.SystemdEvents;
import io.servicemanager.systemd.UnitInfo;
import io.servicemanager.systemd.UnitSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@link SystemdClient} that also counts the jobs it submits and how many ran at once for one unit — so a
 * test can prove a request never reached D-Bus, or that jobs for a unit never overlapped.
 */
public final class CountingSystemdClient implements SystemdClient {
  private final SystemdClient real;
  private final AtomicInteger submitted = new AtomicInteger();
  private final java.util.Map<String, AtomicInteger> running = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicInteger maxRunning = new AtomicInteger();
  private volatile SystemdEvents events;
  private final Promise<Void> firstConnection = Promise.promise();

  public CountingSystemdClient(SystemdClient real) {
    this.real = real;
  }

  public int submitted() {
    return submitted.get();
  }

  public int maxConcurrentJobs() {
    return maxRunning.get();
  }

  /** Completes when a {@link #connect} has succeeded for the first time. */
  public Future<Void> firstConnection() {
    return firstConnection.future();
  }

  @Override
  public Future<Void> connect(SystemdEvents events) {
    Future<Void> connecting = real.connect(new SystemdEvents() {
      @Override
      public void propertiesChanged(String path, java.util.Map<String, Object> changed) {
        events.propertiesChanged(path, changed);
      }

      @Override
      public void propertiesChanged(String path, java.util.Map<String, Object> changed, long receivedNanos) {
        events.propertiesChanged(path, changed, receivedNanos);
      }

      @Override
      public void unitNew(String unit, String path) {
        events.unitNew(unit, path);
      }

      @Override
      public void reloaded() {
        events.reloaded();
      }

      @Override
      public void jobRemoved(long id, String jobPath, String unit, String result) {
        events.jobRemoved(id, jobPath, unit, result);
      }

      @Override
      public void disconnected(String reason) {
        events.disconnected(reason);
      }
    });
    return connecting.onSuccess(v -> firstConnection.tryComplete());
  }

  @Override
  public boolean isConnected() {
    return real.isConnected();
  }

  @Override
  public Future<List<UnitSnapshot>> readStates(List<String> units) {
    return real.readStates(units);
  }

  @Override
  public Future<List<UnitSnapshot>> readDetails(List<UnitSnapshot> states) {
    return real.readDetails(states);
  }

  /** A job counts as running from its call until its verdict, which comes after its JobRemoved. */
  @Override
  public Future<JobOutcome> runJob(String unit, Action action, Duration settle) {
    submitted.incrementAndGet();
    AtomicInteger n = running.computeIfAbsent(unit, u -> new AtomicInteger());
    maxRunning.accumulateAndGet(n.incrementAndGet(), Math::max);
    return real.runJob(unit, action, settle).onComplete(ar -> n.decrementAndGet());
  }

  @Override
  public Future<List<UnitInfo>> listServices() {
    return real.listServices();
  }

  @Override
  public Future<Void> close() {
    return real.close();
  }
}
