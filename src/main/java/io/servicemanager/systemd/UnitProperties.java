package io.servicemanager.systemd;

import io.servicemanager.systemd.dbus.Interfaces;
import io.servicemanager.systemd.dbus.Manager;
import io.servicemanager.systemd.dbus.UnitStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.DBusAsyncReply;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading units' properties: states from one {@code ListUnitsByNames}, the rest as pipelined
 * {@code Properties.Get} calls ({@link DetailRead} for many units at once). Every method blocks: run it off the event loop.
 */
final class UnitProperties {
  private static final Logger LOG = LoggerFactory.getLogger(UnitProperties.class);

  private UnitProperties() {}

  /** One ListUnitsByNames: load, active and sub state of every unit, in the order asked. */
  static List<UnitSnapshot> readStates(BusConnection c, List<String> units) {
    Map<String, UnitStatus> byName = new HashMap<>();
    for (UnitStatus row : c.manager.ListUnitsByNames(units)) {
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

  /** The properties ListUnitsByNames lacks ({@link DetailRead}), handed on in chunks as they complete. */
  static List<UnitSnapshot> readDetails(BusConnection c, List<UnitSnapshot> states,
      java.util.function.Consumer<List<UnitSnapshot>> chunk) throws DBusException {
    return DetailRead.read(c, states, chunk);
  }

  /**
   * Everything an action is judged by, in one round trip: the unit's path is known from its name,
   * so every property goes out as one pipeline of Gets — no ListUnitsByNames first.
   */
  static UnitSnapshot readUnit(BusConnection c, String unit) throws DBusException {
    String path = UnitPaths.of(unit);
    Properties remote = c.dbus.getRemoteObject(Manager.BUS_NAME, path, Properties.class);
    Map<String, Object> into = new HashMap<>();
    List<Get> gets = new ArrayList<>();
    for (String[] w : FULL) {
      gets.add(new Get(unit, w[1], into, c.dbus.callMethodAsync(remote, "Get", w[0], w[1])));
    }
    for (Get g : gets) {
      g.collect();
    }
    return new UnitSnapshot(unit, path, into);
  }

  /**
   * The unit's control group and accounting figures in one pipeline of Gets; for a unit without a
   * group (not running), its slice's group plus its name.
   */
  static UnitCgroup readCgroup(BusConnection c, String unit) throws DBusException {
    Map<String, Object> into = get(c, unit, List.of(
        new String[] {Interfaces.SERVICE, UnitCgroup.SLICE},
        new String[] {Interfaces.SERVICE, UnitCgroup.CONTROL_GROUP},
        new String[] {Interfaces.SERVICE, UnitCgroup.MEMORY_CURRENT},
        new String[] {Interfaces.SERVICE, UnitCgroup.CPU_USAGE_NSEC},
        new String[] {Interfaces.SERVICE, UnitCgroup.TASKS_CURRENT},
        new String[] {Interfaces.SERVICE, UnitCgroup.EXEC_MAIN_PID},
        new String[] {Interfaces.SERVICE, UnitCgroup.EXEC_MAIN_START},
        new String[] {Interfaces.SERVICE, UnitCgroup.EXEC_MAIN_EXIT}));
    String group = into.get(UnitCgroup.CONTROL_GROUP) instanceof String g ? g : "";
    if (group.isEmpty() && into.get(UnitCgroup.SLICE) instanceof String slice && !slice.isEmpty()) {
      Object sliceGroup = get(c, slice, List.<String[]>of(new String[] {Interfaces.SLICE, UnitCgroup.CONTROL_GROUP}))
          .get(UnitCgroup.CONTROL_GROUP);
      if (sliceGroup instanceof String g && !g.isEmpty()) {
        group = (g.equals("/") ? "" : g) + "/" + unit;
      }
    }
    return new UnitCgroup(group, UnitCgroup.figure(into.get(UnitCgroup.MEMORY_CURRENT)),
        UnitCgroup.figure(into.get(UnitCgroup.CPU_USAGE_NSEC)), UnitCgroup.figure(into.get(UnitCgroup.TASKS_CURRENT)),
        new UnitCgroup.MainProcess(UnitCgroup.positive(into.get(UnitCgroup.EXEC_MAIN_PID)),
            UnitCgroup.positive(into.get(UnitCgroup.EXEC_MAIN_START)), UnitCgroup.positive(into.get(UnitCgroup.EXEC_MAIN_EXIT))));
  }

  private static Map<String, Object> get(BusConnection c, String unit, List<String[]> wanted) throws DBusException {
    Properties remote = c.dbus.getRemoteObject(Manager.BUS_NAME, UnitPaths.of(unit), Properties.class);
    Map<String, Object> into = new HashMap<>();
    List<Get> gets = new ArrayList<>();
    for (String[] w : wanted) {
      gets.add(new Get(unit, w[1], into, c.dbus.callMethodAsync(remote, "Get", w[0], w[1])));
    }
    for (Get g : gets) {
      g.collect();
    }
    return into;
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

  /** A D-Bus value as we hold it: numbers as long, strings and booleans as they are; null otherwise. */
  static Object unwrap(Object value) {
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
