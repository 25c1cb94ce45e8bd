package io.servicemanager.systemd;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.time.Duration;
import java.util.List;

/**
 * The manager's view of systemd. Calls never block the caller: D-Bus round trips run off the event
 * loop and complete on the caller's context. Nothing outside this package touches dbus-java.
 */
public interface SystemdClient {
  /**
   * Connects, calls {@code Manager.Subscribe()} and installs the signal handlers. A client may be
   * connected again after {@link SystemdEvents#disconnected}.
   */
  Future<Void> connect(SystemdEvents events);

  boolean isConnected();

  /**
   * One ListUnitsByNames: the load, active and sub state of each unit, in the order asked
   * (not-found units come back with LoadState "not-found"). Cheap even for 1 000 units.
   */
  Future<List<UnitSnapshot>> readStates(List<String> units);

  /**
   * The view's details for units read by {@link #readStates}: the state-change timestamp, and the
   * main PID of units that run. Inactive units are returned as they are.
   */
  Future<List<UnitSnapshot>> readDetails(List<UnitSnapshot> states);

  /**
   * {@link #readDetails(List)} handed on in chunks, in the order of {@code states}, each as soon as
   * its reads are in (the first chunk small: a screenful of views completes before the tail of
   * thousands). {@code chunk} runs on the caller's context, every chunk before the future completes.
   */
  default Future<Void> readDetails(List<UnitSnapshot> states, Handler<List<UnitSnapshot>> chunk) {
    return readDetails(states).map(all -> {
      chunk.handle(all);
      return null;
    });
  }

  /** States and details in one go. */
  default Future<List<UnitSnapshot>> readUnits(List<String> units) {
    return readStates(units).compose(this::readDetails);
  }

  /**
   * Runs one job end to end: queues {@code StartUnit}/{@code StopUnit}/{@code RestartUnit} with mode
   * "replace", waits for its JobRemoved, and judges it by systemd's result <em>and</em> the unit's
   * state afterwards (JobRemoved "done" is not success for a service that failed by then). A
   * started {@code Type=simple}/{@code exec}/{@code idle} service must keep running for
   * {@code settle} to count as started. Fails when systemd refused the job or the connection was
   * lost before its end. Call it on the context that connected.
   */
  Future<JobOutcome> runJob(String unit, Action action, Duration settle);

  /**
   * Every concrete {@code .service} unit systemd knows, loaded or only installed as a file, sorted
   * by name, each with its Description (a unit only installed is loaded for a moment to read it);
   * templates without an instance are left out.
   */
  Future<List<UnitInfo>> listServices();

  /** The unit's control group and resource figures, read now (a client without them fails). */
  default Future<UnitCgroup> readCgroup(String unit) {
    return Future.failedFuture(new UnsupportedOperationException("this client reads no control groups"));
  }

  /** Closes the connection; no {@link SystemdEvents#disconnected} follows. */
  Future<Void> close();
}
