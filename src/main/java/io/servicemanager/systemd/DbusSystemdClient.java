package io.servicemanager.systemd;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.freedesktop.dbus.exceptions.DBusException;

/**
 * {@link SystemdClient} over dbus-java, split by concern as go-systemd's dbus package is: the
 * connection ({@link BusConnection}), the calls ({@link Methods}), the signals ({@link Signals}),
 * the properties ({@link UnitProperties}) and the job helper ({@link Jobs}). Reads run in Vert.x
 * worker threads; a job is queued with a callback; signals arrive on dbus-java's single signal
 * thread and are handed, in order, to the context that connected.
 */
public final class DbusSystemdClient implements SystemdClient {
  /**
   * How long a connect may take, handshake, Subscribe and match rules included. A healthy bus
   * answers in milliseconds; one frozen after a dbus-daemon restart would hold the attempt forever.
   */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final String bus;
  private final long connectTimeoutMs;
  private final Jobs jobs;
  private volatile BusConnection current;
  /** Set by {@link #close}: an attempt still under way then is closed, not used. */
  private volatile boolean closed;

  /** @param bus "system", "user" or a D-Bus address such as {@code unix:path=/run/user/0/bus} */
  public DbusSystemdClient(Vertx vertx, String bus) {
    this(vertx, bus, CONNECT_TIMEOUT);
  }

  /** @param connectTimeout after this a connect attempt fails, whatever the bus is doing */
  public DbusSystemdClient(Vertx vertx, String bus, Duration connectTimeout) {
    this.vertx = vertx;
    this.bus = bus;
    this.connectTimeoutMs = connectTimeout.toMillis();
    this.jobs = new Jobs(vertx, new Jobs.Calls() {
      @Override
      public Future<String> submit(String unit, Action action) {
        return submitJob(unit, action);
      }

      @Override
      public Future<UnitSnapshot> read(String unit) {
        return readUnit(unit);
      }
    });
  }

  /** Fails after the connect timeout if the bus does not complete the handshake (see {@link BoundedAttempt}). */
  @Override
  public Future<Void> connect(SystemdEvents events) {
    Context context = vertx.getOrCreateContext();
    BusConnection old = current;
    current = null;
    closed = false;
    return BoundedAttempt.run(vertx, "dbus-connect", connectTimeoutMs, abort -> {
      if (old != null) {
        old.close();
      }
      return BusConnection.open(bus, context, jobs.watching(events), abort);
    }, BusConnection::close)
        .recover(e -> Future.failedFuture(e instanceof TimeoutException
            ? new DBusException("no D-Bus handshake with " + bus + " within " + connectTimeoutMs + " ms")
            : e))
        .<Void>compose(connection -> {
          if (closed) {
            return vertx.executeBlocking(() -> {
              connection.close();
              throw new DBusException("closed while connecting to " + bus);
            }, false);
          }
          current = connection;
          return Future.succeededFuture();
        });
  }

  @Override
  public boolean isConnected() {
    BusConnection c = current;
    return c != null && c.alive();
  }

  @Override
  public Future<List<UnitSnapshot>> readStates(List<String> units) {
    return vertx.executeBlocking(() -> UnitProperties.readStates(connection(), units), false);
  }

  @Override
  public Future<List<UnitSnapshot>> readDetails(List<UnitSnapshot> states) {
    return vertx.executeBlocking(() -> UnitProperties.readDetails(connection(), states, part -> {}), false);
  }

  /** Each chunk is queued on the caller's context from the reading worker, before the result is. */
  @Override
  public Future<Void> readDetails(List<UnitSnapshot> states, Handler<List<UnitSnapshot>> chunk) {
    Context context = vertx.getOrCreateContext();
    return vertx.executeBlocking(() -> {
      UnitProperties.readDetails(connection(), states, part -> context.runOnContext(v -> chunk.handle(part)));
      return null;
    }, false);
  }

  @Override
  public Future<JobOutcome> runJob(String unit, Action action, Duration settle) {
    return jobs.run(unit, action, settle);
  }

  /** Everything about one unit a job is judged by: state, Service.Result, ExecMainStatus, Type. */
  Future<UnitSnapshot> readUnit(String unit) {
    return vertx.executeBlocking(() -> UnitProperties.readUnit(connection(), unit), false);
  }

  /** Queues the job; completes on the caller's context with its object path. */
  Future<String> submitJob(String unit, Action action) {
    try {
      return Methods.queueJob(connection(), vertx.getOrCreateContext(), unit, action);
    } catch (DBusException | RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<UnitCgroup> readCgroup(String unit) {
    return vertx.executeBlocking(() -> UnitProperties.readCgroup(connection(), unit), false);
  }

  @Override
  public Future<List<UnitInfo>> listServices() {
    return vertx.executeBlocking(() -> Methods.listServices(connection()), false);
  }

  @Override
  public Future<Void> close() {
    closed = true;
    return vertx.executeBlocking(() -> {
      BusConnection c = current;
      current = null;
      if (c != null) {
        c.close();
      }
      return null;
    }, false);
  }

  private BusConnection connection() throws DBusException {
    BusConnection c = current;
    if (c == null || !c.alive()) {
      throw new DBusException("not connected to " + bus);
    }
    return c;
  }
}
