package io.servicemanager.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The D-Bus wire format, as much of it as {@link BareGets} speaks: method calls written
 * (little-endian), the header of a return or error read, and a variant of a basic type decoded in
 * place. Anything else is an {@link IOException}.
 */
final class DbusWire {
  static final byte METHOD_CALL = 1;
  static final byte METHOD_RETURN = 2;
  static final byte ERROR = 3;
  private static final int FIELD_PATH = 1;
  private static final int FIELD_INTERFACE = 2;
  private static final int FIELD_MEMBER = 3;
  private static final int FIELD_REPLY_SERIAL = 5;
  private static final int FIELD_DESTINATION = 6;
  private static final int FIELD_SIGNATURE = 8;
  /** The fixed part of every message: endianness, type, flags, version, body length, serial, fields length. */
  static final int FIXED = 16;

  private DbusWire() {}

  /** What a read header says: the message's type, the serial it answers (-1: none) and its body's signature. */
  record Header(byte type, long replySerial, String signature, int bodyStart) {}

  /** Method calls written one after another into a buffer. */
  static final class Calls {
    final ByteBuffer out;
    /** Where the message being written starts in {@link #out}: its alignment counts from there. */
    private int messageStart;

    Calls(int capacity) {
      out = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Starts a method call; {@link #finish} fills in the body's length. */
    void header(int serial, String path, String iface, String member, String destination, String signature) {
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

    void finish(int bodyLength) {
      out.putInt(messageStart + 4, bodyLength);
    }

    void string(String value) {
      pad(4);
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      out.putInt(bytes.length).put(bytes).put((byte) 0);
    }

    private void field(int code, char type, String value) {
      pad(8);
      out.put((byte) code).put((byte) 1).put((byte) type).put((byte) 0);
      string(value);
    }

    /** Pads to a multiple of {@code to} from the message's start, as the wire format aligns. */
    private void pad(int to) {
      while ((out.position() - messageStart) % to != 0) {
        out.put((byte) 0);
      }
    }
  }

  /** The header fields of a whole message {@code m} (its first byte at 0), of which only a reply's are read. */
  static Header header(ByteBuffer m) throws IOException {
    byte type = m.get(1);
    int fieldsLength = m.getInt(12);
    long replySerial = -1;
    String signature = "";
    int p = FIXED;
    while (p < FIXED + fieldsLength) {
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
    return new Header(type, replySerial, signature, align(FIXED + fieldsLength, 8));
  }

  /** A variant holding a basic type, as {@link UnitProperties#unwrap} keeps it: numbers as long. */
  static Object variant(ByteBuffer m, int p) {
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

  static int align(int p, int to) {
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
}
