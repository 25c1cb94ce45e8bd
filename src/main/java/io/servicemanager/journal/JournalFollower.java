package io.servicemanager.journal;

import io.vertx.core.Context;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One {@code journalctl --follow} for one unit. A thread of its own reads its lines (a blocking read
 * has no place on an event loop); the entries reach {@code sink} on the owner's context in order,
 * several to a batch when they come faster than the context takes them. A flood beyond
 * {@link #MAX_PENDING} entries not yet handed over is cut: the oldest are dropped.
 */
final class JournalFollower {
  static final int MAX_PENDING = 1000;

  private final Process process;
  private final ConcurrentLinkedQueue<JsonObject> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pendingCount = new AtomicInteger();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private volatile boolean stopped;

  private JournalFollower(Process process) {
    this.process = process;
  }

  /**
   * @param sink each batch of new entries, on {@code context}
   * @param ended once, on {@code context}, when journalctl ends without {@link #stop} (journal gone)
   */
  static JournalFollower start(JournalCommand command, UnitMatch match, Context context, Consumer<JsonArray> sink,
      Runnable ended) throws IOException {
    Process process = new ProcessBuilder(command.follow(match))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    JournalFollower follower = new JournalFollower(process);
    Thread reader = new Thread(() -> follower.read(match, context, sink, ended), "journal-follower-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    return follower;
  }

  long pid() {
    return process.pid();
  }

  void stop() {
    stopped = true;
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }

  private void read(UnitMatch match, Context context, Consumer<JsonArray> sink, Runnable ended) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        JsonObject raw = JournalEntry.raw(line);
        if (raw == null || !match.accepts(raw)) {
          continue;
        }
        pending.add(JournalEntry.of(raw));
        if (pendingCount.incrementAndGet() > MAX_PENDING && pending.poll() != null) {
          pendingCount.decrementAndGet();
        }
        if (drainScheduled.compareAndSet(false, true)) {
          context.runOnContext(v -> drain(sink));
        }
      }
    } catch (IOException e) {
      // the process was stopped or died: handled below
    }
    process.destroyForcibly();
    if (!stopped) {
      context.runOnContext(v -> ended.run());
    }
  }

  private void drain(Consumer<JsonArray> sink) {
    drainScheduled.set(false);
    JsonArray batch = new JsonArray();
    for (JsonObject entry = pending.poll(); entry != null; entry = pending.poll()) {
      pendingCount.decrementAndGet();
      batch.add(entry);
    }
    if (!batch.isEmpty() && !stopped) {
      sink.accept(batch);
    }
  }
}
