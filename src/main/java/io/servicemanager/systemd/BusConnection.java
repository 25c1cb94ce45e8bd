package io.servicemanager.systemd;

import io.servicemanager.systemd.dbus.Manager;
import io.vertx.core.Context;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;

/**
 * One bus connection, subscribed to systemd's signals ({@link Signals}); replaced whole on
 * reconnect. dbus-java does not reconnect by itself: once lost, it stays lost.
 */
final class BusConnection {
  private static final int CONNECT_ATTEMPT_MS = 500;

  final DBusConnection dbus;
  final Manager manager;
  /** The bus's address, for {@link BareGets}. */
  final String address;
  private final AtomicBoolean lost;

  private BusConnection(DBusConnection dbus, Manager manager, String address, AtomicBoolean lost) {
    this.dbus = dbus;
    this.manager = manager;
    this.address = address;
    this.lost = lost;
  }

  /**
   * Blocks: run it off the event loop.
   *
   * @param abort receives the transport as soon as it exists, to be closed if the attempt is given up
   */
  static BusConnection open(String bus, Context context, SystemdEvents events, Consumer<Closeable> abort)
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
      Signals.subscribe(dbus, manager, context, events);
      return new BusConnection(dbus, manager, address(bus), lost);
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

  private static String address(String bus) {
    return switch (bus) {
      case "system" -> {
        String address = System.getenv("DBUS_SYSTEM_BUS_ADDRESS");
        yield address != null && !address.isBlank() ? address : "unix:path=/var/run/dbus/system_bus_socket";
      }
      case "user" -> userBusAddress();
      default -> bus;
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
}
