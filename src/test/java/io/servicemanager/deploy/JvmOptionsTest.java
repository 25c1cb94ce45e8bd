package io.servicemanager.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * conf/jvm.options: the JVM options of every shipped way to run the jar — the systemd unit, the
 * image and the demo — in one argument file ({@code java @FILE}), so a footprint setting is changed
 * once and measured as shipped (scripts/bench-footprint, scripts/bench-fanout).
 */
class JvmOptionsTest {
  static final Path OPTIONS = Path.of("conf/jvm.options");

  /** The options of the file, comments and blank lines dropped, as the java launcher reads them. */
  static List<String> options() throws IOException {
    return Files.readAllLines(OPTIONS).stream().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  @Test
  @DisplayName("The unit, the image and the demo all start the JVM with the one options file, and name no JVM option of their own")
  void oneFileForEveryLauncher() throws IOException {
    String execStart = SystemdUnitFileTest.parse(SystemdUnitFileTest.UNIT).get("Service.ExecStart").get(0);
    assertThat(execStart).startsWith("/usr/bin/java @/opt/service-manager/jvm.options -jar ");
    List<String> instructions = DockerFilesTest.instructions();
    assertThat(instructions).contains("COPY conf/jvm.options /app/jvm.options");
    assertThat(instructions).filteredOn(i -> i.startsWith("ENTRYPOINT ")).singleElement().asString()
        .startsWith("ENTRYPOINT [\"java\", \"@/app/jvm.options\", \"-jar\", ");
    assertThat(Files.readAllLines(Path.of("scripts/demo"))).filteredOn(l -> l.startsWith("exec java "))
        .singleElement().asString().startsWith("exec java @conf/jvm.options -jar ");
    assertThat(execStart + String.join("\n", instructions) + Files.readString(Path.of("scripts/demo")))
        .as("no -X option outside the file").doesNotContainPattern("\\s\"?-X");
  }

  @Test
  @DisplayName("Every option in the file is accepted by this JDK, and the heap stays bounded with an exit on OutOfMemoryError")
  void acceptedByTheJdk() throws IOException, InterruptedException {
    assertThat(options()).anyMatch(o -> o.startsWith("-Xmx")).contains("-XX:+ExitOnOutOfMemoryError");
    Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + OPTIONS, "-version").redirectErrorStream(true).start();
    String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(java.exitValue()).as(out).isZero();
    assertThat(out).as("no option ignored or warned about").doesNotContainIgnoringCase("warning")
        .doesNotContain("Unrecognized");
  }
}
