package io.servicemanager.systemd;

import io.servicemanager.systemd.dbus.Manager;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A bare D-Bus connection that does one thing: many {@code Properties.Get} calls pipelined, each
 * written and read on the calling thread. dbus-java spends 150–400 µs of CPU per call on hand-offs
 * between its sender, reader and receiving threads and on reflective marshalling; here a batch of
 * calls is one {@code write}, a batch of replies one {@code read}, and a reply is decoded in place.
 *
 * <p>It speaks only what that needs (SASL EXTERNAL on a {@code unix:path=} socket, {@code Hello},
 * method calls out, returns and errors in, everything else skipped) and fails with an
 * {@link IOException} on anything else, for the caller to fall back to dbus-java. Blocks.
 */
public final class BareGets implements Closeable {
  /** What a reply to {@link #next} carries: its call's number and its value (null for none, or an error). */
  public record Reply(int call, Object value, boolean error) {}

  private final SocketChannel channel;
  private final Selector selector;
  private final long quietMs;
  private final DbusWire.Calls calls = new DbusWire.Calls(64 * 1024);
  private ByteBuffer in = ByteBuffer.allocate(64 * 1024);
  /** Serial of call 0: Hello is serial 1. */
  private static final int FIRST_SERIAL = 2;
  private int sent;

  private BareGets(SocketChannel channel, Selector selector, long quietMs) {
    this.channel = channel;
    this.selector = selector;
    this.quietMs = quietMs;
    in.flip();
  }

  /**
   * Connects, authenticates as this process's uid and says Hello.
   *
   * @param address a D-Bus address; only {@code unix:path=} entries are used
   * @param quietMs a read that waits this long for any byte fails
   */
  public static BareGets open(String address, long quietMs) throws IOException {
    Path socket = socketPath(address);
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    Selector selector = null;
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
      BareGets bus = new BareGets(channel, selector = Selector.open(), quietMs);
      // Non-blocking from the start: a frozen bus daemon fails the read after quietMs, never hangs it.
      channel.configureBlocking(false);
      channel.register(bus.selector, SelectionKey.OP_READ);
      bus.authenticate();
      bus.hello();
      return bus;
    } catch (IOException | RuntimeException e) {
      channel.close();
      if (selector != null) {
        selector.close();
      }
      throw e;
    }
  }

  /** The socket of the first {@code unix:path=} in a (possibly ;-separated) D-Bus address. */
  static Path socketPath(String address) throws IOException {
    for (String entry : address.split(";")) {
      if (entry.startsWith("unix:")) {
        for (String kv : entry.substring("unix:".length()).split(",")) {
          if (kv.startsWith("path=")) {
            return Path.of(unescape(kv.substring("path=".length())));
          }
        }
      }
    }
    throw new IOException("no unix:path= in D-Bus address " + address);
  }

  /** D-Bus addresses escape bytes as %XX. */
  private static String unescape(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (ch == '%' && i + 2 < value.length()) {
        bytes.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.write(ch);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void authenticate() throws IOException {
    String uid = Long.toString(new com.sun.security.auth.module.UnixSystem().getUid());
    StringBuilder hex = new StringBuilder();
    for (byte b : uid.getBytes(StandardCharsets.US_ASCII)) {
      hex.append(String.format("%02x", b));
    }
    writeFully(ByteBuffer.wrap(("\0AUTH EXTERNAL " + hex + "\r\n").getBytes(StandardCharsets.US_ASCII)));
    ByteBuffer line = ByteBuffer.allocate(512);
    while (line.position() < 2 || line.get(line.position() - 1) != '\n') {
      int read = line.hasRemaining() ? channel.read(line) : -1;
      if (read < 0 || read == 0 && selector.select(quietMs) == 0) {
        throw new IOException("D-Bus authentication: no answer");
      }
      selector.selectedKeys().clear();
    }
    String answer = new String(line.array(), 0, line.position(), StandardCharsets.US_ASCII);
    if (!answer.startsWith("OK ")) {
      throw new IOException("D-Bus authentication refused: " + answer.trim());
    }
    writeFully(ByteBuffer.wrap("BEGIN\r\n".getBytes(StandardCharsets.US_ASCII)));
  }

  private void hello() throws IOException {
    calls.header(1, "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello", "org.freedesktop.DBus", null);
    calls.finish(0);
    flush();
  }

  /** Queues one {@code Get(iface, property)} on {@code path} and returns its number (0, 1, 2, … in order). */
  public int get(String path, String iface, String property) throws IOException {
    ByteBuffer out = calls.out;
    if (out.remaining() < 512 + 2 * path.length()) {
      flush();
    }
    calls.header(FIRST_SERIAL + sent, path, "org.freedesktop.DBus.Properties", "Get", Manager.BUS_NAME, "ss");
    int body = out.position();
    calls.string(iface);
    calls.string(property);
    calls.finish(out.position() - body);
    return sent++;
  }

  /** Writes every queued call. */
  public void flush() throws IOException {
    calls.out.flip();
    writeFully(calls.out);
    calls.out.clear();
  }

  /** The next reply to one of our calls, waiting for it; signals and others' messages are skipped. */
  public Reply next() throws IOException {
    while (true) {
      Reply reply = parse();
      if (reply != null) {
        return reply;
      }
    }
  }

  private Reply parse() throws IOException {
    fill(DbusWire.FIXED);
    ByteBuffer m = in.slice().order(in.get(in.position()) == 'B' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    int bodyLength = m.getInt(4);
    int fieldsLength = m.getInt(12);
    long total = (long) DbusWire.align(DbusWire.FIXED + fieldsLength, 8) + bodyLength;
    if (fieldsLength < 0 || bodyLength < 0 || total > 128L * 1024 * 1024) {
      throw new IOException("D-Bus message of " + total + " bytes");
    }
    fill((int) total);
    m = in.slice().order(m.order());
    m.limit((int) total);
    in.position(in.position() + (int) total);
    byte type = m.get(1);
    if (type != DbusWire.METHOD_RETURN && type != DbusWire.ERROR) {
      return null;
    }
    DbusWire.Header header = DbusWire.header(m);
    int call = (int) (header.replySerial() - FIRST_SERIAL);
    if (header.replySerial() < FIRST_SERIAL || call >= sent) {
      return null;
    }
    if (type == DbusWire.ERROR) {
      return new Reply(call, null, true);
    }
    return new Reply(call, "v".equals(header.signature()) ? DbusWire.variant(m, header.bodyStart()) : null, false);
  }

  /** Reads until {@code n} bytes are buffered. */
  private void fill(int n) throws IOException {
    if (in.remaining() >= n) {
      return;
    }
    in.compact();
    if (in.capacity() < n) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(n, in.capacity() * 2));
      in.flip();
      bigger.put(in);
      in = bigger;
    }
    while (in.position() < n) {
      if (channel.read(in) < 0) {
        throw new IOException("D-Bus connection closed");
      }
      if (in.position() < n && selector.select(quietMs) == 0) {
        throw new IOException("no D-Bus reply within " + quietMs + " ms");
      }
      selector.selectedKeys().clear();
    }
    in.flip();
  }

  private void writeFully(ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.write(buffer) == 0) {
        // The socket is full: wait until the bus daemon takes more, or give up after quietMs.
        channel.register(selector, SelectionKey.OP_WRITE);
        int ready = selector.select(quietMs);
        selector.selectedKeys().clear();
        channel.register(selector, SelectionKey.OP_READ);
        if (ready == 0) {
          throw new IOException("the D-Bus socket took nothing for " + quietMs + " ms");
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      selector.close();
    } finally {
      channel.close();
    }
  }
}
