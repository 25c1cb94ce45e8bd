package io.servicemanager.systemd;

import io.servicemanager.systemd.dbus.Interfaces;
import io.servicemanager.systemd.dbus.Manager;
import java.io.IOException;
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
 * <p>The Gets go over a bare connection of their own ({@link BareGets}): through dbus-java each cost
 * 150–400 µs of this JVM's CPU in thread hand-offs and marshalling, several times what systemd and
 * the bus daemon spend on it. If that connection cannot be made or fails, dbus-java reads what is
 * left, each Get built as a message (its proxies would look the method up by reflection every
 * call). A {@code GetAll} per interface measured slower on systemd 252 (its Unit and Service
 * interfaces have about a hundred properties each, arrays among them, to encode and decode), and
 * {@code Manager.Dump} words timestamps to the second. Blocks: run it off the event loop.
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

  /** One Get: the unit (by index in the read) and the property it asks for. */
  private record Get(int unit, String iface, String property) {}

  /** One Get through dbus-java, in flight. */
  private record Pending(Get get, MethodCall call) {}

  /**
   * Reads the details of {@code states} and hands them to {@code chunk} in order, in chunks of
   * {@link #FIRST_CHUNK} then {@link #CHUNK} units; returns them all. Over a bare connection of its
   * own ({@link BareGets}) when the bus has a {@code unix:path=} address; through dbus-java for
   * whatever that could not read.
   */
  static List<UnitSnapshot> read(BusConnection c, List<UnitSnapshot> states, Consumer<List<UnitSnapshot>> chunk)
      throws DBusException {
    return read(c, c.address, states, chunk);
  }

  /** @param bareAddress where to open the bare connection; null: dbus-java only */
  static List<UnitSnapshot> read(BusConnection c, String bareAddress, List<UnitSnapshot> states,
      Consumer<List<UnitSnapshot>> chunk) throws DBusException {
    List<Map<String, Object>> props = new ArrayList<>(states.size());
    List<Get> gets = new ArrayList<>();
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
        gets.add(new Get(i, w[0], w[1]));
      }
    }
    Chunks chunks = new Chunks(states, props, new ArrayList<>(states.size()), chunk);
    int from = 0;
    if (bareAddress != null) {
      try {
        bare(bareAddress, states, gets, props, chunks);
      } catch (IOException | RuntimeException e) {
        // Whatever was handed on stays; the rest is read again through dbus-java.
        LOG.info("reading details over a bare D-Bus connection failed ({}); reading {} of {} units through dbus-java",
            e.toString(), states.size() - chunks.result.size(), states.size());
        while (from < gets.size() && gets.get(from).unit() < chunks.result.size()) {
          from++;
        }
      }
      if (chunks.result.size() == states.size()) {
        return chunks.result;
      }
    }
    proxied(c, states, gets.subList(from, gets.size()), props, chunks);
    return chunks.result;
  }

  /**
   * The Gets over {@link BareGets}: refilled half a window at a time, so a write carries many calls
   * and a read many replies.
   */
  private static void bare(String address, List<UnitSnapshot> states, List<Get> gets,
      List<Map<String, Object>> props, Chunks chunks) throws IOException {
    if (gets.isEmpty()) {
      chunks.doneBelow(states.size());
      return;
    }
    try (BareGets bus = BareGets.open(address, QUIET_MS)) {
      boolean[] answered = new boolean[gets.size()];
      int sent = 0;
      int replies = 0;
      int oldest = 0;
      while (oldest < gets.size()) {
        if (sent < gets.size() && sent - replies <= WINDOW / 2) {
          while (sent < gets.size() && sent - replies < WINDOW) {
            Get g = gets.get(sent++);
            bus.get(states.get(g.unit()).path(), g.iface(), g.property());
          }
          bus.flush();
        }
        BareGets.Reply reply = bus.next();
        answered[reply.call()] = true;
        replies++;
        if (reply.error()) {
          // A unit unloaded between the two calls answers nothing: keep what ListUnitsByNames said.
          LOG.debug("reading {} of unit #{} failed", gets.get(reply.call()).property(), gets.get(reply.call()).unit());
        } else if (reply.value() != null) {
          Get g = gets.get(reply.call());
          props.get(g.unit()).put(g.property(), reply.value());
        }
        while (oldest < gets.size() && answered[oldest]) {
          oldest++;
        }
        chunks.doneBelow(oldest < gets.size() ? gets.get(oldest).unit() : states.size());
      }
    }
    chunks.doneBelow(states.size());
  }

  /** The Gets through dbus-java, each built as a message, {@link #WINDOW} in flight. */
  private static void proxied(BusConnection c, List<UnitSnapshot> states, List<Get> gets,
      List<Map<String, Object>> props, Chunks chunks) throws DBusException {
    ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    long[] lastReply = {System.nanoTime()};
    for (Get g : gets) {
      if (inFlight.size() >= WINDOW) {
        collect(inFlight.poll(), props, lastReply);
        chunks.doneBelow(inFlight.isEmpty() ? g.unit() : inFlight.peek().get().unit());
      }
      MethodCall call = c.dbus.getMessageFactory().createMethodCall(Manager.BUS_NAME, states.get(g.unit()).path(),
          PROPERTIES, "Get", (byte) 0, "ss", g.iface(), g.property());
      c.dbus.sendMessage(call);
      inFlight.add(new Pending(g, call));
    }
    while (!inFlight.isEmpty()) {
      collect(inFlight.poll(), props, lastReply);
      chunks.doneBelow(inFlight.isEmpty() ? states.size() : inFlight.peek().get().unit());
    }
    chunks.doneBelow(states.size());
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

  private static void collect(Pending pending, List<Map<String, Object>> props, long[] lastReply) {
    Get p = pending.get();
    try {
      long left = QUIET_MS - (System.nanoTime() - lastReply[0]) / 1_000_000;
      Message reply = pending.call().getReply(Math.max(1, left));
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
