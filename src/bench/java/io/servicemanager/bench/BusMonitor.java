package io.servicemanager.bench;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code busctl monitor --json=short} on a bus, in a subprocess: every message the bus daemon routes,
 * one JSON object a line, each stamped by the daemon ({@code timestamp-realtime}, µs since the epoch).
 */
final class BusMonitor implements AutoCloseable {
  private final Process process;
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch ready = new CountDownLatch(1);
  private final Thread stdout;
  private final Thread stderr;
  private final StringBuilder errors = new StringBuilder();

  private BusMonitor(Process process) {
    this.process = process;
    this.stdout = reader("bus-monitor-out", process, true);
    this.stderr = reader("bus-monitor-err", process, false);
  }

  static BusMonitor start(String address) throws IOException {
    Process process = new ProcessBuilder("busctl", "--address=" + address, "--no-pager", "monitor", "--json=short")
        .start();
    return new BusMonitor(process);
  }

  /** busctl says "Monitoring bus message stream." once BecomeMonitor has succeeded. */
  void awaitReady(Duration timeout) throws InterruptedException {
    if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("busctl monitor did not start: " + errors);
    }
  }

  /** Stops the monitor; the messages the daemon stamped within [fromMicros, toMicros]. */
  List<JsonObject> stop(long fromMicros, long toMicros) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    stdout.join(5_000);
    List<JsonObject> inWindow = new ArrayList<>();
    synchronized (lines) {
      for (String line : lines) {
        JsonObject message;
        try {
          message = new JsonObject(line);
        } catch (DecodeException e) {
          continue;
        }
        long at = message.getLong("timestamp-realtime", 0L);
        if (at >= fromMicros && at <= toMicros) {
          inWindow.add(message);
        }
      }
    }
    return inWindow;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  /** Unique names (":1.42") of the bus connections that process {@code pid} holds. */
  static Set<String> connectionsOf(String address, long pid) throws IOException, InterruptedException {
    Process list = new ProcessBuilder("busctl", "--address=" + address, "--no-pager", "--no-legend", "list")
        .redirectErrorStream(true).start();
    String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!list.waitFor(10, TimeUnit.SECONDS) || list.exitValue() != 0) {
      throw new IllegalStateException("busctl list failed: " + out);
    }
    Set<String> names = new HashSet<>();
    for (String row : out.split("\n")) {
      String[] cols = row.trim().split("\\s+");
      if (cols.length > 1 && cols[0].startsWith(":") && cols[1].equals(Long.toString(pid))) {
        names.add(cols[0]);
      }
    }
    return names;
  }

  private Thread reader(String name, Process process, boolean out) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(
          out ? process.getInputStream() : process.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (out) {
            lines.add(line);
          } else {
            synchronized (errors) {
              errors.append(line).append('\n');
            }
            if (line.startsWith("Monitoring bus message stream")) {
              ready.countDown();
            }
          }
        }
      } catch (IOException e) {
        // the process was stopped
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
