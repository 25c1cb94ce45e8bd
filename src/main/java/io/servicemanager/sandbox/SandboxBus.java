package io.servicemanager.sandbox;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The sandbox's dbus-daemon, which systemd starts through dbus.socket on the first connection. */
final class SandboxBus {
  private final SystemdSandbox sandbox;
  private final Path socket;

  SandboxBus(SystemdSandbox sandbox, Path socket) {
    this.sandbox = sandbox;
    this.socket = socket;
  }

  /** Connects once if the daemon is not running yet, and waits (up to 10 s) for its pid. */
  long daemonPid() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    boolean poked = false;
    while (true) {
      long pid = Long.parseLong(sandbox.property("dbus.service", "MainPID"));
      if (pid != 0 && Processes.isRunning(pid)) {
        return pid;
      }
      if (System.nanoTime() > deadline) {
        throw new SandboxException("dbus.service has no running main process: "
            + sandbox.systemctl("status", "dbus.socket", "dbus.service").stdout());
      }
      if (!poked) {
        poked = poke();
      }
      SystemdSandbox.pause(20);
    }
  }

  /**
   * SIGKILLs the daemon and returns its pid. The failed dbus.service is reset, so that repeated
   * kills never reach systemd's start limit (5 starts in 10 s), which would leave the socket failed
   * and the bus gone for good.
   */
  long killDaemon() {
    long pid = daemonPid();
    ProcessHandle.of(pid).ifPresent(p -> {
      p.destroyForcibly();
      p.onExit().orTimeout(10, TimeUnit.SECONDS).join();
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sandbox.activeState("dbus.service").equals("active") && System.nanoTime() < deadline) {
      SystemdSandbox.pause(10);
    }
    sandbox.systemctlOk("reset-failed", "dbus.service", "dbus.socket");
    return pid;
  }

  private boolean poke() {
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
