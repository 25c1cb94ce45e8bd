package io.servicemanager.web;

import io.servicemanager.ErrorCode;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * How a /ws client asked for its opening snapshot: {@code /ws} (a text frame, as always) or
 * {@code /ws?snapshot=gzip} (one binary frame, the same JSON gzip-compressed: 5 000 services shrink
 * from ≈ 1.8 MB to ≈ 0.1 MB; a browser reads it with {@code DecompressionStream("gzip")}). Only
 * that one frame is compressed: status pushes stay small text frames, encoded once for thousands of
 * sockets, which per-message deflate would compress once per socket.
 */
enum SnapshotEncoding {
  TEXT,
  GZIP;

  static final String PARAM = "snapshot";
  /** Speed over the last few per cent: measured in src/bench/README.md (compact snapshot). */
  static final int LEVEL = Deflater.BEST_SPEED;

  /** The encoding a query value names; null for one we do not offer. */
  static SnapshotEncoding of(String value) {
    if (value == null) {
      return TEXT;
    }
    return "gzip".equals(value) ? GZIP : null;
  }

  static String refusal(String value) {
    return "unknown snapshot encoding \"" + value + "\"; ?" + PARAM + "=gzip or nothing";
  }

  static ErrorCode refusalCode() {
    return ErrorCode.BAD_REQUEST;
  }

  /** The gzip form of an encoded frame. */
  static Buffer gzip(String frame) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length() / 8);
    try (GZIPOutputStream z = new GZIPOutputStream(out, 64 * 1024) {
      {
        def.setLevel(LEVEL);
      }
    }) {
      z.write(frame.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }
}
