package io.servicemanager.systemd;

import io.servicemanager.systemd.dbus.Interfaces;
import io.servicemanager.systemd.dbus.Manager;
import io.servicemanager.systemd.dbus.UnitStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.freedesktop.dbus.DBusAsyncReply;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.CallbackHandler;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.interfaces.Properties.PropertiesChanged;
import org.freedesktop.dbus.matchrules.DBusMatchRuleBuilder;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SystemdClient} over dbus-java. Reads run in Vert.x worker threads; a job is submitted with a
 * callback (see {@link #submitJob}); signals arrive on dbus-java's single signal thread and are
 * handed, in order, to the context that connected.
 */
public final class DbusSystemdClient implements SystemdClient {
  private static final Logger LOG = LoggerFactory.getLogger(DbusSystemdClient.class);

  private static final int CONNECT_ATTEMPT_MS = 500;
  /**
   * How long a connect may take, handshake, Subscribe and match rules included. A healthy bus
   * answers in milliseconds; one frozen after a dbus-daemon restart would hold the attempt forever.
   */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Pipelined calls in flight at once; the system bus allows 128 pending replies per connection. */
  private static final int WINDOW = 64;

  private final Vertx vertx;
  private final String bus;
  private final long connectTimeoutMs;
  private final Jobs jobs;
  private volatile Connection current;
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
    Connection old = current;
    current = null;
    closed = false;
    return BoundedAttempt.run(vertx, "dbus-connect", connectTimeoutMs, abort -> {
      if (old != null) {
        old.close();
      }
      return Connection.open(bus, context, jobs.watching(events), abort);
    }, Connection::close)
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
    Connection c = current;
    return c != null && c.alive();
  }

  @Override
  public Future<List<UnitSnapshot>> readStates(List<String> units) {
    return vertx.executeBlocking(() -> connection().readStates(units), false);
  }

  @Override
  public Future<List<UnitSnapshot>> readDetails(List<UnitSnapshot> states) {
    return vertx.executeBlocking(() -> connection().readDetails(states), false);
  }

  @Override
  public Future<JobOutcome> runJob(String unit, Action action, Duration settle) {
    return jobs.run(unit, action, settle);
  }

  /** Everything about one unit a job is judged by: state, Service.Result, ExecMainStatus, Type. */
  Future<UnitSnapshot> readUnit(String unit) {
    return vertx.executeBlocking(() -> connection().readUnit(unit), false);
  }

  /**
   * Sent from the caller's thread and answered through a callback, not from a worker that waits:
   * dbus-java only queues the message for its sender thread here, so nothing blocks, and the
   * answer comes back with one thread hand-off fewer each way.
   */
  Future<String> submitJob(String unit, Action action) {
    Context context = vertx.getOrCreateContext();
    Promise<String> answer = Promise.promise();
    try {
      connection().submitJob(unit, action, new CallbackHandler<DBusPath>() {
        @Override
        public void handle(DBusPath job) {
          context.runOnContext(v -> answer.complete(job.getPath()));
        }

        @Override
        public void handleError(DBusExecutionException e) {
          context.runOnContext(v -> answer.fail(e));
        }
      });
    } catch (DBusException | RuntimeException e) {
      return Future.failedFuture(e);
    }
    return answer.future();
  }

  @Override
  public Future<List<UnitInfo>> listServices() {
    return vertx.executeBlocking(() -> connection().listServices(), false);
  }

  @Override
  public Future<Void> close() {
    closed = true;
    return vertx.executeBlocking(() -> {
      Connection c = current;
      current = null;
      if (c != null) {
        c.close();
      }
      return null;
    }, false);
  }

  private Connection connection() throws DBusException {
    Connection c = current;
    if (c == null || !c.alive()) {
      throw new DBusException("not connected to " + bus);
    }
    return c;
  }

  /** One bus connection with its handlers; replaced whole on reconnect. */
  private static final class Connection {
    private final DBusConnection dbus;
    private final Manager manager;
    private final AtomicBoolean lost;

    private Connection(DBusConnection dbus, Manager manager, AtomicBoolean lost) {
      this.dbus = dbus;
      this.manager = manager;
      this.lost = lost;
    }

    /** @param abort receives the transport as soon as it exists, to be closed if the attempt is given up */
    static Connection open(String bus, Context context, SystemdEvents events, Consumer<Closeable> abort)
        throws DBusException {
      AtomicBoolean lost = new AtomicBoolean();
      Runnable onLost = () -> {
        if (lost.compareAndSet(false, true)) {
          context.runOnContext(v -> events.disconnected("D-Bus connection lost"));
        }
      };
      DBusConnection dbus = builder(bus)
          // One connect attempt: dbus-java would retry for 10 s inside a worker; our back-off decides.
          .transportConfig().withTimeout(CONNECT_ATTEMPT_MS).withPreConnectCallback(abort::accept).back()
          .withShared(false)
          .withDisconnectCallback(new IDisconnectCallback() {
            @Override
            public void disconnectOnError(IOException e) {
              onLost.run();
            }

            @Override
            public void exceptionOnTerminate(IOException e) {
              onLost.run();
            }
          })
          .build();
      try {
        Manager manager = dbus.getRemoteObject(Manager.BUS_NAME, Manager.OBJECT_PATH, Manager.class);
        for (String iface : List.of(Interfaces.UNIT, Interfaces.SERVICE)) {
          dbus.addSigHandler(DBusMatchRuleBuilder.create()
                  .withType(PropertiesChanged.class)
                  .withPathNamespace(Interfaces.UNIT_PATH_NAMESPACE)
                  .withArg0123(0, iface)
                  .build(),
              (PropertiesChanged s) -> {
                long received = System.nanoTime();
                Map<String, Object> changed = watched(s.getPropertiesChanged());
                if (!changed.isEmpty()) {
                  String path = s.getPath();
                  context.runOnContext(v -> events.propertiesChanged(path, changed, received));
                }
              });
        }
        dbus.addSigHandler(Manager.Reloading.class, s -> {
          if (!s.isActive()) {
            context.runOnContext(v -> events.reloaded());
          }
        });
        dbus.addSigHandler(Manager.UnitNew.class, s -> {
          String id = s.getId();
          String path = s.getUnit().getPath();
          context.runOnContext(v -> events.unitNew(id, path));
        });
        dbus.addSigHandler(Manager.JobRemoved.class, s -> {
          long id = s.getId();
          String job = s.getJob().getPath();
          String unit = s.getUnit();
          String result = s.getResult();
          context.runOnContext(v -> events.jobRemoved(id, job, unit, result));
        });
        // Handlers first, then Subscribe: nothing sent after Subscribe can be missed.
        manager.Subscribe();
        return new Connection(dbus, manager, lost);
      } catch (RuntimeException | DBusException e) {
        lost.set(true);
        dbus.disconnect();
        throw e;
      }
    }

    private static DBusConnectionBuilder builder(String bus) {
      return switch (bus) {
        case "system" -> DBusConnectionBuilder.forSystemBus();
        case "user" -> DBusConnectionBuilder.forAddress(userBusAddress());
        default -> DBusConnectionBuilder.forAddress(bus);
      };
    }

    /** dbus-java reads only DBUS_SESSION_BUS_ADDRESS; systemctl --user also finds $XDG_RUNTIME_DIR/bus. */
    private static String userBusAddress() {
      String address = System.getenv("DBUS_SESSION_BUS_ADDRESS");
      if (address != null && !address.isBlank()) {
        return address;
      }
      String runtime = System.getenv("XDG_RUNTIME_DIR");
      if (runtime == null || runtime.isBlank()) {
        runtime = "/run/user/" + new com.sun.security.auth.module.UnixSystem().getUid();
      }
      return "unix:path=" + runtime + "/bus";
    }

    boolean alive() {
      return !lost.get() && dbus.isConnected();
    }

    void close() {
      lost.set(true);
      dbus.disconnect();
    }

    /** One ListUnitsByNames: load, active and sub state of every unit, in the order asked. */
    List<UnitSnapshot> readStates(List<String> units) throws DBusException {
      Map<String, UnitStatus> byName = new HashMap<>();
      for (UnitStatus row : manager.ListUnitsByNames(units)) {
        byName.put(row.name, row);
      }
      List<UnitSnapshot> states = new ArrayList<>(units.size());
      for (String unit : units) {
        UnitStatus row = byName.get(unit);
        states.add(row == null
            ? new UnitSnapshot(unit, "", Map.of(UnitSnapshot.LOAD_STATE, "not-found"))
            : new UnitSnapshot(unit, row.path.getPath(), Map.of(UnitSnapshot.LOAD_STATE, row.loadState,
                UnitSnapshot.ACTIVE_STATE, row.activeState, UnitSnapshot.SUB_STATE, row.subState)));
      }
      return states;
    }

    /**
     * The properties ListUnitsByNames lacks, as a pipeline of asynchronous Gets (at most
     * {@link #WINDOW} in flight: the system bus refuses more than 128 pending replies per
     * connection). An inactive unit is not read: systemd would load and unload it for every Get,
     * with a storm of signals, and it has no PID or useful timestamp to give.
     */
    List<UnitSnapshot> readDetails(List<UnitSnapshot> states) throws DBusException {
      List<Map<String, Object>> props = new ArrayList<>(states.size());
      java.util.ArrayDeque<Get> inFlight = new java.util.ArrayDeque<>();
      for (UnitSnapshot state : states) {
        Map<String, Object> into = new HashMap<>(state.properties());
        props.add(into);
        List<String[]> wanted = wanted(state);
        if (wanted.isEmpty()) {
          continue;
        }
        Properties remote = dbus.getRemoteObject(Manager.BUS_NAME, state.path(), Properties.class);
        for (String[] w : wanted) {
          if (inFlight.size() >= WINDOW) {
            inFlight.poll().collect();
          }
          inFlight.add(new Get(state.unit(), w[1], into, dbus.callMethodAsync(remote, "Get", w[0], w[1])));
        }
      }
      while (!inFlight.isEmpty()) {
        inFlight.poll().collect();
      }
      List<UnitSnapshot> result = new ArrayList<>(states.size());
      for (int i = 0; i < states.size(); i++) {
        result.add(new UnitSnapshot(states.get(i).unit(), states.get(i).path(), props.get(i)));
      }
      return result;
    }

    /**
     * Everything an action is judged by, in one round trip: the unit's path is known from its name,
     * so every property goes out as one pipeline of Gets — no ListUnitsByNames first.
     */
    UnitSnapshot readUnit(String unit) throws DBusException {
      String path = UnitPaths.of(unit);
      Properties remote = dbus.getRemoteObject(Manager.BUS_NAME, path, Properties.class);
      Map<String, Object> into = new HashMap<>();
      List<Get> gets = new ArrayList<>();
      for (String[] w : FULL) {
        gets.add(new Get(unit, w[1], into, dbus.callMethodAsync(remote, "Get", w[0], w[1])));
      }
      for (Get g : gets) {
        g.collect();
      }
      return new UnitSnapshot(unit, path, into);
    }

    private static final List<String[]> FULL = List.of(
        new String[] {Interfaces.UNIT, UnitSnapshot.LOAD_STATE},
        new String[] {Interfaces.UNIT, UnitSnapshot.ACTIVE_STATE},
        new String[] {Interfaces.UNIT, UnitSnapshot.SUB_STATE},
        new String[] {Interfaces.UNIT, UnitSnapshot.STATE_CHANGE_TIMESTAMP},
        new String[] {Interfaces.SERVICE, UnitSnapshot.MAIN_PID},
        new String[] {Interfaces.SERVICE, UnitSnapshot.RESULT},
        new String[] {Interfaces.SERVICE, UnitSnapshot.EXEC_MAIN_STATUS},
        new String[] {Interfaces.SERVICE, UnitSnapshot.TYPE});

    private static List<String[]> wanted(UnitSnapshot state) {
      if (!state.isLoaded()) {
        return List.of();
      }
      String[] since = {Interfaces.UNIT, UnitSnapshot.STATE_CHANGE_TIMESTAMP};
      String[] pid = {Interfaces.SERVICE, UnitSnapshot.MAIN_PID};
      return switch (String.valueOf(state.activeState())) {
        case "inactive" -> List.of();
        case "failed" -> List.<String[]>of(since);
        default -> List.of(since, pid);
      };
    }

    void submitJob(String unit, Action action, CallbackHandler<DBusPath> callback) {
      dbus.callWithCallback(manager, action.method(), callback, unit, "replace");
    }

    List<UnitInfo> listServices() {
      java.util.TreeMap<String, UnitInfo> found = new java.util.TreeMap<>();
      for (UnitStatus row : manager.ListUnitsByPatterns(List.of(), List.of("*.service"))) {
        if (!"not-found".equals(row.loadState)) {
          found.put(row.name, new UnitInfo(row.name, row.description, row.activeState));
        }
      }
      for (var file : manager.ListUnitFilesByPatterns(List.of(), List.of("*.service"))) {
        String unit = java.nio.file.Path.of(file.path).getFileName().toString();
        if (!unit.endsWith("@.service")) {
          found.putIfAbsent(unit, new UnitInfo(unit, "", "inactive"));
        }
      }
      return new ArrayList<>(found.values());
    }

    /** One pipelined Get; {@link #collect} waits for its reply and stores the value. */
    private record Get(String unit, String property, Map<String, Object> into, DBusAsyncReply<?> reply) {
      void collect() {
        try {
          // DBusAsyncReply.getReply() does not wait; the call's own getReply() does.
          reply.getCall().getReply();
          Object value = unwrap(reply.getReply());
          if (value != null) {
            into.put(property, value);
          }
        } catch (RuntimeException | DBusException e) {
          // A unit unloaded between the two calls answers nothing: keep what ListUnitsByNames said.
          LOG.debug("reading {} of {} failed: {}", property, unit, e.toString());
        }
      }
    }

  }

  static Map<String, Object> watched(Map<String, Variant<?>> changed) {
    Map<String, Object> out = new HashMap<>();
    for (Map.Entry<String, Variant<?>> e : changed.entrySet()) {
      if (UnitSnapshot.WATCHED.contains(e.getKey())) {
        Object value = unwrap(e.getValue());
        if (value != null) {
          out.put(e.getKey(), value);
        }
      }
    }
    return out;
  }

  private static Object unwrap(Object value) {
    if (value instanceof Variant<?> v) {
      value = v.getValue();
    }
    if (value instanceof Number n) {
      return n.longValue();
    }
    if (value instanceof String || value instanceof Boolean) {
      return value;
    }
    return null;
  }
}
