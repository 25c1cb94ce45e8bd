package io.servicemanager.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * What the application logs while a test runs. The project logs through slf4j-simple, which writes
 * each line to whatever {@code System.err} is at that moment (and Vert.x and Netty log through SLF4J
 * too), so the lines are copied from there; they still reach the real stderr.
 */
public final class LogCapture implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

  private LogCapture() {
    OutputStream tee = new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (copy) {
          copy.write(b);
        }
        original.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (copy) {
          copy.write(b, off, len);
        }
        original.write(b, off, len);
      }
    };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  public static LogCapture start() {
    return new LogCapture();
  }

  public List<String> lines() {
    synchronized (copy) {
      return Arrays.asList(copy.toString(StandardCharsets.UTF_8).split("\n"));
    }
  }

  /** Lines at the given level, as slf4j-simple marks them ({@code [ERROR]}, {@code [WARN]}, …). */
  public List<String> at(String level) {
    return lines().stream().filter(line -> line.contains("[" + level + "]")).toList();
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
