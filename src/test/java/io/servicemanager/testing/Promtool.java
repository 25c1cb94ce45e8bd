package io.servicemanager.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code promtool} (package prometheus, installed by scripts/install-test-deps): the
 * Prometheus project's own check of an exposition. A missing promtool fails the test; it never skips.
 */
public final class Promtool {
  public static final Path BIN = Path.of("/usr/bin/promtool");
  private static final long TIMEOUT_SECONDS = 60;

  private Promtool() {}

  /** {@code promtool check metrics} of a scrape in the Prometheus text format, read from its stdin. */
  public static NodeTools.Result checkMetrics(String exposition) {
    if (!Files.isExecutable(BIN)) {
      throw new AssertionError(BIN + " is missing; run scripts/install-test-deps (apt-get install prometheus)");
    }
    Process process;
    try {
      process = new ProcessBuilder(BIN.toString(), "check", "metrics").start();
    } catch (IOException e) {
      throw new AssertionError("cannot run " + BIN, e);
    }
    CompletableFuture<String> out = read(process, false);
    CompletableFuture<String> err = read(process, true);
    try (OutputStream in = process.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // promtool stopped reading early; its exit code and output tell why
    }
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("promtool check metrics did not finish within " + TIMEOUT_SECONDS + " s");
      }
      return new NodeTools.Result(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new AssertionError("interrupted while running promtool", e);
    } catch (Exception e) {
      throw new AssertionError("reading the output of promtool", e);
    }
  }

  private static CompletableFuture<String> read(Process process, boolean stderr) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new String((stderr ? process.getErrorStream() : process.getInputStream()).readAllBytes(),
            StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    });
  }
}
