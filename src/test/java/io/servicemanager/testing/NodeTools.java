package io.servicemanager.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The third-party clients and checkers of {@code src/test/node} (package.json, installed with
 * {@code npm ci} by scripts/install-test-deps), run as child processes. A missing tool fails the
 * test with the command that installs it: it never skips.
 */
public final class NodeTools {
  /** The folder holding package.json and node_modules. */
  public static final Path DIR = Path.of("src/test/node").toAbsolutePath();

  private NodeTools() {}

  /** What a finished process printed, and how it ended. */
  public record Result(int exitCode, String stdout, String stderr) {
    public String describe() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  /** {@code node_modules/.bin/NAME}, for a package's command (redocly, lighthouse, …). */
  public static Path bin(String name) {
    Path bin = DIR.resolve("node_modules/.bin").resolve(name);
    if (!Files.isExecutable(bin)) {
      throw new AssertionError(bin + " is missing; run scripts/install-test-deps (npm ci in " + DIR + ")");
    }
    return bin;
  }

  /** Runs {@code node SCRIPT ARGS…} with node_modules on its module path. */
  public static Result node(Path script, long timeoutSeconds, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of("node", script.toString()));
    command.addAll(List.of(args));
    return run(command, timeoutSeconds, env);
  }

  /** Runs a command; NODE_PATH points at node_modules so that a script anywhere can require the tools. */
  public static Result run(List<String> command, long timeoutSeconds, Map<String, String> env) {
    if (!Files.isDirectory(DIR.resolve("node_modules"))) {
      throw new AssertionError(DIR.resolve("node_modules") + " is missing; run scripts/install-test-deps");
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(DIR.toFile());
    builder.environment().put("NODE_PATH", DIR.resolve("node_modules").toString());
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + " (is node installed? scripts/install-test-deps)", e);
    }
    try {
      process.getOutputStream().close(); // no input: a tool that reads stdin sees its end at once
    } catch (IOException e) {
      // the process is already gone; its exit code tells
    }
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process, false));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process, true));
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s\n--- stdout\n"
            + out.getNow("") + "\n--- stderr\n" + err.getNow(""));
      }
      return new Result(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new AssertionError("interrupted while running " + command, e);
    } catch (Exception e) {
      throw new AssertionError("reading the output of " + command, e);
    }
  }

  private static String read(Process process, boolean stderr) {
    try {
      return new String((stderr ? process.getErrorStream() : process.getInputStream()).readAllBytes(),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
