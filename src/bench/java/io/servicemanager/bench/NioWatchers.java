package io.servicemanager.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Fan-out clients as lean as a load generator: plain NIO sockets that make a real /ws handshake
 * and read real frames, one selector thread per core, no framework. With 10 000 clients on the
 * server's own two cores, a framework client's reading costs about as much CPU as the server's
 * writing; these leave the cores to the server being measured.
 */
final class NioWatchers implements AutoCloseable {
  private static final byte[] STATUS_FRAME = "{\"type\":\"status\"".getBytes(StandardCharsets.US_ASCII);

  /** One client: its index and the bytes received but not yet a whole frame. */
  private static final class Conn {
    final int index;
    ByteBuffer in = ByteBuffer.allocate(2048);

    Conn(int index) {
      this.index = index;
    }
  }

  private final Arrivals arrivals;
  private final List<Reader> readers = new ArrayList<>();
  private final List<SocketChannel> channels = new ArrayList<>();

  NioWatchers(int capacity) throws IOException {
    arrivals = new Arrivals(capacity);
    int n = Math.max(1, Runtime.getRuntime().availableProcessors());
    for (int i = 0; i < n; i++) {
      Reader r = new Reader(i);
      readers.add(r);
      r.start();
    }
  }

  /** Opens clients until {@code total} are connected, each with a bearer token. */
  void connect(int port, String token, int total) throws IOException {
    byte[] upgrade = ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    while (channels.size() < total) {
      int index = channels.size();
      SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      ch.socket().setTcpNoDelay(true);
      ch.write(ByteBuffer.wrap(upgrade));
      Conn conn = new Conn(index);
      readHandshake(ch, conn);
      ch.configureBlocking(false);
      channels.add(ch);
      readers.get(index % readers.size()).add(ch, conn);
    }
  }

  /** Reads the 101 answer; what follows it (the first frames) stays in the client's buffer. */
  private static void readHandshake(SocketChannel ch, Conn conn) throws IOException {
    while (true) {
      if (ch.read(conn.in) < 0) {
        throw new IOException("the server closed a /ws client during its handshake");
      }
      byte[] seen = Arrays.copyOf(conn.in.array(), conn.in.position());
      String text = new String(seen, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        if (!text.startsWith("HTTP/1.1 101")) {
          throw new IOException("/ws upgrade refused: " + text.lines().findFirst().orElse(""));
        }
        conn.in.flip().position(end + 4);
        conn.in.compact();
        return;
      }
    }
  }

  /** Sorted arrival delays (ns after the trigger) of every client, for the awaited status. */
  long[] change(String status, FanOutBench.Trigger trigger) throws Exception {
    return arrivals.change(channels.size(), status, trigger);
  }

  @Override
  public void close() throws IOException {
    for (Reader r : readers) {
      r.interrupt();
      r.selector.wakeup();
    }
    for (SocketChannel ch : channels) {
      ch.close();
    }
  }

  /** One selector thread: reads its clients' frames and notes the first awaited status of each. */
  private final class Reader extends Thread {
    final Selector selector;
    final ConcurrentLinkedQueue<Object[]> joining = new ConcurrentLinkedQueue<>();

    Reader(int n) throws IOException {
      super("fan-out-reader-" + n);
      setDaemon(true);
      selector = Selector.open();
    }

    void add(SocketChannel ch, Conn conn) {
      joining.add(new Object[] {ch, conn});
      selector.wakeup();
    }

    @Override
    public void run() {
      try {
        while (!isInterrupted()) {
          selector.select();
          for (Object[] j; (j = joining.poll()) != null; ) {
            Conn conn = (Conn) j[1];
            ((SocketChannel) j[0]).register(selector, SelectionKey.OP_READ, conn);
            frames(conn); // frames that came with the handshake
          }
          for (SelectionKey key : selector.selectedKeys()) {
            Conn conn = (Conn) key.attachment();
            if (!conn.in.hasRemaining()) {
              conn.in = ByteBuffer.allocate(conn.in.capacity() * 2).put(conn.in.flip());
            }
            if (((SocketChannel) key.channel()).read(conn.in) < 0) {
              key.cancel();
              continue;
            }
            frames(conn);
          }
          selector.selectedKeys().clear();
        }
      } catch (IOException e) {
        if (!isInterrupted()) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }

    /** Every whole frame in the buffer: server frames are unmasked; only text frames are looked at. */
    private void frames(Conn conn) {
      ByteBuffer b = conn.in.flip();
      while (b.remaining() >= 2) {
        int start = b.position();
        int opcode = b.get(start) & 0x0F;
        int len = b.get(start + 1) & 0x7F;
        int header = 2;
        if (len == 126) {
          if (b.remaining() < 4) {
            break;
          }
          len = b.getShort(start + 2) & 0xFFFF;
          header = 4;
        } else if (len == 127) {
          if (b.remaining() < 10) {
            break;
          }
          len = (int) b.getLong(start + 2);
          header = 10;
        }
        if (b.remaining() < header + len) {
          break;
        }
        if (opcode == 1) {
          text(conn, b.array(), start + header, len);
        }
        b.position(start + header + len);
      }
      b.compact();
    }

    private void text(Conn conn, byte[] buf, int from, int len) {
      byte[] want = arrivals.awaitedBytes();
      if (want != null && startsWith(buf, from, len, STATUS_FRAME) && contains(buf, from, len, want)) {
        arrivals.seen(conn.index);
      }
    }
  }

  private static boolean startsWith(byte[] buf, int from, int len, byte[] prefix) {
    return len >= prefix.length && Arrays.equals(buf, from, from + prefix.length, prefix, 0, prefix.length);
  }

  private static boolean contains(byte[] buf, int from, int len, byte[] part) {
    for (int i = from, last = from + len - part.length; i <= last; i++) {
      if (Arrays.equals(buf, i, i + part.length, part, 0, part.length)) {
        return true;
      }
    }
    return false;
  }
}
