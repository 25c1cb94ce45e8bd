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
  private static final byte METHOD_CALL = 1;
  private static final byte METHOD_RETURN = 2;
  private static final byte ERROR = 3;
  private static final int FIELD_PATH = 1;
  private static final int FIELD_INTERFACE = 2;
  private static final int FIELD_MEMBER = 3;
  private static final int FIELD_REPLY_SERIAL = 5;
  private static final int FIELD_DESTINATION = 6;
  private static final int FIELD_SIGNATURE = 8;
  /** What a reply to {@link #next} carries: its call's number and its value (null for none, or an error). */
  public record Reply(int call, Object value, boolean error) {}

  private final SocketChannel channel;
  private final Selector selector;
  private final long quietMs;
  private final ByteBuffer out = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
  /** Where the message being written starts in {@link #out}: its alignment counts from there. */
  private int messageStart;
  private ByteBuffer in = ByteBuffer.allocate(64 * 1024);
  /** Serial of call 0: Hello is serial 1. */
  private static final int FIRST_SERIAL = 2;
  private int calls;

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
    header(1, "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello", "org.freedesktop.DBus", null);
    finish(0);
    flush();
  }

  /** Queues one {@code Get(iface, property)} on {@code path} and returns its number (0, 1, 2, … in order). */
  public int get(String path, String iface, String property) throws IOException {
    if (out.remaining() < 512 + 2 * path.length()) {
      flush();
    }
    header(FIRST_SERIAL + calls, path, "org.freedesktop.DBus.Properties", "Get", Manager.BUS_NAME, "ss");
    int body = out.position();
    string(iface);
    string(property);
    finish(out.position() - body);
    return calls++;
  }

  /** Writes every queued call. */
  public void flush() throws IOException {
    out.flip();
    writeFully(out);
    out.clear();
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
    fill(16);
    ByteBuffer m = in.slice().order(in.get(in.position()) == 'B' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    byte type = m.get(1);
    int bodyLength = m.getInt(4);
    int fieldsLength = m.getInt(12);
    int bodyStart = align(16 + fieldsLength, 8);
    long total = (long) bodyStart + bodyLength;
    if (fieldsLength < 0 || bodyLength < 0 || total > 128L * 1024 * 1024) {
      throw new IOException("D-Bus message of " + total + " bytes");
    }
    fill((int) total);
    m = in.slice().order(m.order());
    m.limit((int) total);
    in.position(in.position() + (int) total);
    if (type != METHOD_RETURN && type != ERROR) {
      return null;
    }
    long replySerial = -1;
    String signature = "";
    int p = 16;
    while (p < 16 + fieldsLength) {
      p = align(p, 8);
      int code = m.get(p) & 0xff;
      int sigLength = m.get(p + 1) & 0xff;
      char sig = sigLength == 1 ? (char) m.get(p + 2) : '?';
      p += 2 + sigLength + 1;
      switch (sig) {
        case 'u' -> {
          p = align(p, 4);
          if (code == FIELD_REPLY_SERIAL) {
            replySerial = m.getInt(p) & 0xffffffffL;
          }
          p += 4;
        }
        case 's', 'o' -> {
          p = align(p, 4);
          p += 4 + m.getInt(p) + 1;
        }
        case 'g' -> {
          int length = m.get(p) & 0xff;
          if (code == FIELD_SIGNATURE) {
            signature = ascii(m, p + 1, length);
          }
          p += 1 + length + 1;
        }
        default -> throw new IOException("D-Bus header field " + code + " of type " + sig);
      }
    }
    int call = (int) (replySerial - FIRST_SERIAL);
    if (replySerial < FIRST_SERIAL || call >= calls) {
      return null;
    }
    if (type == ERROR) {
      return new Reply(call, null, true);
    }
    return new Reply(call, "v".equals(signature) ? variant(m, bodyStart) : null, false);
  }

  /** A variant holding a basic type, as {@link UnitProperties#unwrap} keeps it: numbers as long. */
  private static Object variant(ByteBuffer m, int p) {
    int length = m.get(p) & 0xff;
    if (length != 1) {
      return null;
    }
    char type = (char) m.get(p + 1);
    p += 3;
    return switch (type) {
      case 't', 'x' -> m.getLong(align(p, 8));
      case 'u' -> m.getInt(align(p, 4)) & 0xffffffffL;
      case 'i' -> (long) m.getInt(align(p, 4));
      case 'q' -> (long) (m.getShort(align(p, 2)) & 0xffff);
      case 'n' -> (long) m.getShort(align(p, 2));
      case 'y' -> (long) (m.get(p) & 0xff);
      case 'b' -> m.getInt(align(p, 4)) != 0;
      case 's', 'o' -> {
        int at = align(p, 4);
        yield utf8(m, at + 4, m.getInt(at));
      }
      default -> null;
    };
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

  /** Starts a method call; {@link #finish} fills in the body's length. */
  private void header(int serial, String path, String iface, String member, String destination, String signature) {
    int start = out.position();
    messageStart = start;
    out.put((byte) 'l').put(METHOD_CALL).put((byte) 0).put((byte) 1).putInt(0).putInt(serial).putInt(0);
    int fields = out.position();
    field(FIELD_PATH, 'o', path);
    field(FIELD_INTERFACE, 's', iface);
    field(FIELD_MEMBER, 's', member);
    field(FIELD_DESTINATION, 's', destination);
    if (signature != null) {
      pad(8);
      out.put((byte) FIELD_SIGNATURE).put((byte) 1).put((byte) 'g').put((byte) 0);
      byte[] sig = signature.getBytes(StandardCharsets.US_ASCII);
      out.put((byte) sig.length).put(sig).put((byte) 0);
    }
    out.putInt(start + 12, out.position() - fields);
    pad(8);
  }

  private void finish(int bodyLength) {
    out.putInt(messageStart + 4, bodyLength);
  }

  private void field(int code, char type, String value) {
    pad(8);
    out.put((byte) code).put((byte) 1).put((byte) type).put((byte) 0);
    string(value);
  }

  private void string(String value) {
    pad(4);
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.putInt(bytes.length).put(bytes).put((byte) 0);
  }

  /** Pads to a multiple of {@code to} from the message's start, as the wire format aligns. */
  private void pad(int to) {
    while ((out.position() - messageStart) % to != 0) {
      out.put((byte) 0);
    }
  }

  private static int align(int p, int to) {
    return (p + to - 1) / to * to;
  }

  private static String ascii(ByteBuffer m, int at, int length) {
    byte[] bytes = new byte[length];
    m.get(at, bytes);
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  private static String utf8(ByteBuffer m, int at, int length) {
    byte[] bytes = new byte[length];
    m.get(at, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
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
