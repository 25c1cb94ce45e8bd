package io.servicemanager.sandbox;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a short command to completion and captures its output. */
final class Commands {
  private Commands() {
  }

  /** Output goes through files, not pipes, so a chatty stderr can never block a quiet stdout. */
  static SystemdSandbox.Result run(List<String> command, Map<String, String> env, Duration timeout) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("sandbox-cmd", ".out");
      err = Files.createTempFile("sandbox-cmd", ".err");
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new SandboxException(String.join(" ", command) + " did not finish within " + timeout
            + "\nstdout: " + read(out) + "\nstderr: " + read(err));
      }
      return new SystemdSandbox.Result(process.exitValue(), read(out), read(err));
    } catch (IOException e) {
      throw new SandboxException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException("interrupted while running " + String.join(" ", command), e);
    } finally {
      delete(out);
      delete(err);
    }
  }

  /** The first executable called {@code name} on PATH, or null. */
  static Path onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static void delete(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temp file left in /tmp is harmless
      }
    }
  }
}
