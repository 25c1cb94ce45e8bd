package io.servicemanager;

import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.transport.Transport;
import java.util.Locale;
import java.util.Map;

/**
 * Which of Netty's transports the event loops use. Linux's native epoll by default: it writes a /ws
 * push to every socket with less CPU than the JDK's NIO selector (src/bench/README.md, "Fan-out").
 * The native library ships in the jar for linux-x86_64; where it cannot load (another architecture,
 * a noexec temporary directory) the manager runs on NIO and says why once at start. The system
 * property {@value #PROPERTY} ({@code epoll}, {@code io_uring} or {@code nio}) chooses another.
 */
public final class NetTransport {
  public static final String PROPERTY = "servicemanager.transport";
  private static final String DEFAULT = "epoll";
  private static final Map<String, Transport> BY_NAME = byName();

  private final Transport transport;
  private final String note;

  private NetTransport(Transport transport, String note) {
    this.transport = transport;
    this.note = note;
  }

  /** The transport this process is configured for. */
  public static NetTransport configured() {
    return of(System.getProperty(PROPERTY, DEFAULT));
  }

  /** The transport named {@code requested}, or NIO with the reason when it is unknown or cannot load. */
  static NetTransport of(String requested) {
    String name = requested.trim().toLowerCase(Locale.ROOT);
    if (!BY_NAME.containsKey(name)) {
      return new NetTransport(Transport.NIO, "unknown " + PROPERTY + " \"" + requested + "\" (epoll, io_uring, nio)");
    }
    Transport wanted = BY_NAME.get(name);
    if (wanted == null || !wanted.available()) {
      Throwable cause = wanted == null ? null : wanted.unavailabilityCause();
      return new NetTransport(Transport.NIO, name + " unavailable"
          + (cause == null ? "" : ": " + cause.getClass().getSimpleName() + ": " + cause.getMessage()));
    }
    return new NetTransport(wanted, null);
  }

  public VertxBuilder applyTo(VertxBuilder builder) {
    return builder.withTransport(transport);
  }

  /** The transport's name, as Vert.x calls it ({@code epoll}, {@code io_uring}, {@code nio}). */
  public String name() {
    return transport.name();
  }

  /** The line logged at start: the transport in use, and why it is not the one asked for. */
  public String describe(Vertx vertx) {
    String line = "network transport " + name() + (vertx.isNativeTransportEnabled() ? " (native)" : "");
    return note == null ? line : line + "; " + note;
  }

  private static Map<String, Transport> byName() {
    // Transport.EPOLL and IO_URING are null where Vert.x cannot even load Netty's classes for them.
    java.util.HashMap<String, Transport> map = new java.util.HashMap<>();
    map.put("epoll", Transport.EPOLL);
    map.put("io_uring", Transport.IO_URING);
    map.put("nio", Transport.NIO);
    return map;
  }
}
