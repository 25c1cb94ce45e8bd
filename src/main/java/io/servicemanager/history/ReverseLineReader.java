package io.servicemanager.history;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * A file's lines from the last to the first, read backwards in chunks, so the newest records cost
 * a read of the file's end only. A final segment without its '\n' (a line torn by a crash) is a
 * line too; the caller decides what it is worth.
 */
final class ReverseLineReader {
  static final int CHUNK = 64 * 1024;

  /** One line without its '\n', and the file offset it starts at. */
  record Line(long offset, byte[] bytes) {}

  private final FileChannel channel;
  private byte[] window = new byte[0];
  /** File offset of {@code window[0]}. */
  private long windowStart;
  /** File offset just past the last byte of the next line to return. */
  private long lineEnd;
  private boolean done;

  /** @param length read the file as if it were this long: later appends are not seen */
  ReverseLineReader(FileChannel channel, long length) throws IOException {
    this.channel = channel;
    this.windowStart = length;
    this.lineEnd = length;
    if (length == 0) {
      done = true;
      return;
    }
    extend();
    if (window[(int) (lineEnd - 1 - windowStart)] == '\n') {
      lineEnd--; // the usual end of a file: no empty line after it
    }
  }

  /** The line before the last one returned, or null once the first line has been returned. */
  Line previous() throws IOException {
    if (done) {
      return null;
    }
    long searchFrom = lineEnd - 1;
    while (true) {
      for (long p = searchFrom; p >= windowStart; p--) {
        if (window[(int) (p - windowStart)] == '\n') {
          Line line = slice(p + 1, lineEnd);
          lineEnd = p;
          return line;
        }
      }
      if (windowStart == 0) {
        done = true;
        return slice(0, lineEnd);
      }
      searchFrom = windowStart - 1;
      extend();
    }
  }

  /**
   * Reads the bytes before the window and drops what was already returned. The read grows with
   * the line being searched, so even a very long line costs linear time.
   */
  private void extend() throws IOException {
    int pending = (int) (lineEnd - windowStart);
    long start = Math.max(0, windowStart - Math.max(CHUNK, pending));
    int length = (int) (windowStart - start);
    byte[] next = new byte[length + pending];
    ByteBuffer buffer = ByteBuffer.wrap(next, 0, length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, start + buffer.position()) < 0) {
        throw new EOFException("the file became shorter while it was read");
      }
    }
    System.arraycopy(window, 0, next, length, pending);
    window = next;
    windowStart = start;
  }

  private Line slice(long from, long to) {
    return new Line(from, Arrays.copyOfRange(window, (int) (from - windowStart), (int) (to - windowStart)));
  }

  /** The 1-based number of the line starting at {@code offset}; reads the file up to there. */
  static long lineNumber(FileChannel channel, long offset) throws IOException {
    long newlines = 0;
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    for (long pos = 0; pos < offset; ) {
      buffer.clear().limit((int) Math.min(CHUNK, offset - pos));
      int n = channel.read(buffer, pos);
      if (n < 0) {
        break;
      }
      for (int i = 0; i < n; i++) {
        if (buffer.get(i) == '\n') {
          newlines++;
        }
      }
      pos += n;
    }
    return newlines + 1;
  }
}
