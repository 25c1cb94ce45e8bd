package io.servicemanager.systemd;

import io.servicemanager.systemd.dbus.Interfaces;
import io.servicemanager.systemd.dbus.Manager;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.Error;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.messages.MethodCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The details of many units (what ListUnitsByNames lacks) as one pipeline of {@code Properties.Get}
 * calls, handed on in chunks in the order asked, each as soon as its last reply is in: the first
 * screen of views is complete long before the tail of thousands of units.
 *
 * <p>Each Get is built as a message and sent as it is: dbus-java's proxies would look the method up
 * by reflection and marshal through it for every call, which at thousands of units cost more CPU
 * than systemd and the bus daemon together. A {@code GetAll} per interface measured slower still on
 * systemd 252 (its Unit and Service interfaces have about a hundred properties each, arrays among
 * them, to encode and decode). Blocks: run it off the event loop.
 */
final class DetailRead {
  private static final Logger LOG = LoggerFactory.getLogger(DetailRead.class);
  private static final String PROPERTIES = "org.freedesktop.DBus.Properties";
  /**
   * Calls in flight at once: the system bus refuses more than 128 pending replies per connection,
   * and the connection's other callers (jobs, a detail page) need room too.
   */
  static final int WINDOW = 96;
  /** Units in the first chunk: a screenful of cards. */
  static final int FIRST_CHUNK = 64;
  /** Units in every later chunk. */
  static final int CHUNK = 512;
  /**
   * Without a reply this long the bus is not answering: every call still in flight gets only what is
   * left of it (not this long each, one after another), and keeps what ListUnitsByNames said.
   */
  private static final long QUIET_MS = 30_000;

  private DetailRead() {}

  /** One Get: the unit (by index in the read) whose property it asks for. */
  private record Pending(int unit, String property, MethodCall call) {}

  /**
   * Reads the details of {@code states} and hands them to {@code chunk} in order, in chunks of
   * {@link #FIRST_CHUNK} then {@link #CHUNK} units; returns them all.
   */
  static List<UnitSnapshot> read(BusConnection c, List<UnitSnapshot> states, Consumer<List<UnitSnapshot>> chunk)
      throws DBusException {
    List<Map<String, Object>> props = new ArrayList<>(states.size());
    List<UnitSnapshot> result = new ArrayList<>(states.size());
    ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    long[] lastReply = {System.nanoTime()};
    Chunks chunks = new Chunks(states, props, result, chunk);
    for (int i = 0; i < states.size(); i++) {
      UnitSnapshot state = states.get(i);
      List<String[]> wanted = wanted(state);
      Map<String, Object> known = new HashMap<>(state.properties());
      if (!wanted.isEmpty() && hasNoMainProcess(state)) {
        // What the Get would have answered, so the snapshot equals one read with it.
        known.put(UnitSnapshot.MAIN_PID, 0L);
      }
      props.add(known);
      for (String[] w : wanted) {
        if (inFlight.size() >= WINDOW) {
          collect(inFlight.poll(), props, lastReply);
          chunks.doneBelow(inFlight.isEmpty() ? i : inFlight.peek().unit());
        }
        MethodCall call = c.dbus.getMessageFactory().createMethodCall(Manager.BUS_NAME, state.path(), PROPERTIES, "Get",
            (byte) 0, "ss", w[0], w[1]);
        c.dbus.sendMessage(call);
        inFlight.add(new Pending(i, w[1], call));
      }
    }
    while (!inFlight.isEmpty()) {
      collect(inFlight.poll(), props, lastReply);
      chunks.doneBelow(inFlight.isEmpty() ? states.size() : inFlight.peek().unit());
    }
    chunks.doneBelow(states.size());
    return result;
  }

  /**
   * Service sub-states in which systemd holds no main process: entering any of them zeroes MainPID
   * (service_set_state() unwatches the main PID in every state but start, start-post, running,
   * reload and the stop and final ones). Asking would cost a Get per unit for a known 0, and an
   * {@code active (exited)} oneshot with RemainAfterExit is common. A later start still brings its
   * PID: MainPID is signalled on change, with the new sub-state.
   */
  static final Set<String> WITHOUT_MAIN_PROCESS =
      Set.of("dead", "condition", "start-pre", "exited", "failed", "auto-restart", "cleaning");

  /** Which details a unit's state calls for; none for a unit that is not loaded or inactive. */
  static List<String[]> wanted(UnitSnapshot state) {
    if (!state.isLoaded()) {
      return List.of();
    }
    String[] since = {Interfaces.UNIT, UnitSnapshot.STATE_CHANGE_TIMESTAMP};
    String[] pid = {Interfaces.SERVICE, UnitSnapshot.MAIN_PID};
    return switch (String.valueOf(state.activeState())) {
      // An inactive unit is not read: systemd would load and unload it for every Get, with a storm
      // of signals, and it has no PID or useful timestamp to give.
      case "inactive" -> List.of();
      // A failed unit's start timeout words its failure: "did not start within 90 s".
      case "failed" -> List.<String[]>of(since, new String[] {Interfaces.SERVICE, UnitSnapshot.TIMEOUT_START_USEC});
      default -> hasNoMainProcess(state) ? List.<String[]>of(since) : List.of(since, pid);
    };
  }

  /** A service whose sub-state has no main process: its MainPID is 0 without asking. */
  static boolean hasNoMainProcess(UnitSnapshot state) {
    return state.unit().endsWith(".service") && WITHOUT_MAIN_PROCESS.contains(state.subState());
  }

  private static void collect(Pending p, List<Map<String, Object>> props, long[] lastReply) {
    try {
      long left = QUIET_MS - (System.nanoTime() - lastReply[0]) / 1_000_000;
      Message reply = p.call().getReply(Math.max(1, left));
      if (reply != null) {
        lastReply[0] = System.nanoTime();
      }
      if (reply == null) {
        LOG.debug("reading {} of unit #{}: no reply", p.property(), p.unit());
      } else if (reply instanceof Error error) {
        // A unit unloaded between the two calls answers nothing: keep what ListUnitsByNames said.
        LOG.debug("reading {} of unit #{} failed: {}", p.property(), p.unit(), error.getName());
      } else {
        Object[] values = reply.getParameters();
        Object value = values.length == 1 ? UnitProperties.unwrap(values[0]) : null;
        if (value != null) {
          props.get(p.unit()).put(p.property(), value);
        }
      }
    } catch (DBusException | RuntimeException e) {
      LOG.debug("reading {} of unit #{} failed: {}", p.property(), p.unit(), e.toString());
    }
  }

  /** Hands on the units whose replies are all in, a chunk at a time, in order. */
  private static final class Chunks {
    private final List<UnitSnapshot> states;
    private final List<Map<String, Object>> props;
    private final List<UnitSnapshot> result;
    private final Consumer<List<UnitSnapshot>> chunk;

    Chunks(List<UnitSnapshot> states, List<Map<String, Object>> props, List<UnitSnapshot> result,
        Consumer<List<UnitSnapshot>> chunk) {
      this.states = states;
      this.props = props;
      this.result = result;
      this.chunk = chunk;
    }

    /** Every unit below {@code done} has all its replies. */
    void doneBelow(int done) {
      while (result.size() < states.size()) {
        int from = result.size();
        int to = Math.min(states.size(), from + (from == 0 ? FIRST_CHUNK : CHUNK));
        if (done < to) {
          return;
        }
        List<UnitSnapshot> part = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
          part.add(new UnitSnapshot(states.get(i).unit(), states.get(i).path(), props.get(i)));
        }
        result.addAll(part);
        chunk.accept(part);
      }
    }
  }
}
