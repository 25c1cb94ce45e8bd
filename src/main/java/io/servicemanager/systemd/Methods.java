package io.servicemanager.systemd;

import io.servicemanager.systemd.dbus.UnitStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.CallbackHandler;

/** The {@code org.freedesktop.systemd1.Manager} methods we call, besides reading properties. */
final class Methods {
  private Methods() {}

  /**
   * Queues the action's job with mode "replace"; completes on {@code context} with the job's object
   * path. Sent from the caller's thread and answered through a callback, not from a worker that
   * waits: dbus-java only queues the message for its sender thread here, so nothing blocks, and the
   * answer comes back with one thread hand-off fewer each way.
   */
  static Future<String> queueJob(BusConnection c, Context context, String unit, Action action) {
    Promise<String> answer = Promise.promise();
    c.dbus.callWithCallback(c.manager, action.method(), new CallbackHandler<DBusPath>() {
      @Override
      public void handle(DBusPath job) {
        context.runOnContext(v -> answer.complete(job.getPath()));
      }

      @Override
      public void handleError(DBusExecutionException e) {
        context.runOnContext(v -> answer.fail(e));
      }
    }, unit, "replace");
    return answer.future();
  }

  /** Blocks: run it off the event loop. */
  static List<UnitInfo> listServices(BusConnection c) {
    TreeMap<String, UnitInfo> found = new TreeMap<>();
    for (UnitStatus row : c.manager.ListUnitsByPatterns(List.of(), List.of("*.service"))) {
      if (!"not-found".equals(row.loadState)) {
        found.put(row.name, new UnitInfo(row.name, row.description, row.activeState));
      }
    }
    List<String> onlyFiles = new ArrayList<>();
    for (var file : c.manager.ListUnitFilesByPatterns(List.of(), List.of("*.service"))) {
      String unit = Path.of(file.path).getFileName().toString();
      if (!unit.endsWith("@.service") && !found.containsKey(unit) && !onlyFiles.contains(unit)) {
        onlyFiles.add(unit);
      }
    }
    // Units not loaded have no description until read: one ListUnitsByNames loads each briefly.
    if (!onlyFiles.isEmpty()) {
      for (UnitStatus row : c.manager.ListUnitsByNames(onlyFiles)) {
        found.put(row.name, new UnitInfo(row.name, "not-found".equals(row.loadState) ? "" : row.description, "inactive"));
      }
    }
    for (String unit : onlyFiles) {
      found.putIfAbsent(unit, new UnitInfo(unit, "", "inactive"));
    }
    return new ArrayList<>(found.values());
  }
}
