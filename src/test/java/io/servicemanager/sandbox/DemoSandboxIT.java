package io.servicemanager.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The demo sandbox")
class DemoSandboxIT {

  @Test
  @DisplayName("starts pzserver and a real HTTP sample-service, lets crashy fail and leaves backup inactive")
  void demoState() throws Exception {
    try (SystemdSandbox demo = SystemdSandbox.startDemo()) {
      assertThat(demo.activeState("pzserver.service")).isEqualTo("active");
      assertThat(demo.activeState("sample-service.service")).isEqualTo("active");
      assertThat(demo.activeState("crashy.service")).isEqualTo("failed");
      assertThat(demo.property("crashy.service", "Result")).isEqualTo("exit-code");
      assertThat(demo.activeState("backup.service")).isEqualTo("inactive");
      assertThat(demo.property("pzserver.service", "Description"))
          .isEqualTo("Project Zomboid dedicated game server (demo stand-in)");
      assertThat(demo.demoServicesFile()).content()
          .contains("pzserver:", "sample-service:", "crashy:", "backup:", "status_check_allowed: false");

      assertThat(getIndexPage()).contains("sample-service is up");

      demo.systemctlOk("start", "backup.service"); // a oneshot: returns when it has finished
      assertThat(demo.activeState("backup.service")).isEqualTo("inactive");
      // the demo's units write to its own journald; --sync has it store what it has received
      assertThat(demo.journal("--sync").exitCode()).isZero();
      assertThat(demo.journal("--output=cat").stdout()).contains("pzserver: loading world",
          "crashy: lost the work queue", "backup: done");
    }
  }

  @Test
  @DisplayName("cleans up from its shutdown hook when its JVM gets SIGTERM (as on Ctrl-C)")
  void shutdownHook() throws Exception {
    try (SandboxJvm other = SandboxJvm.start(true)) {
      assertThat(other.pids).hasSizeGreaterThanOrEqualTo(3); // systemd, pzserver's bash, python3

      other.jvm.destroy(); // SIGTERM
      assertThat(other.jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();

      assertThat(other.pids).noneMatch(Processes::isRunning);
      assertThat(other.dir).doesNotExist();
    }
  }

  private static String getIndexPage() throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8081/")).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
      } catch (IOException notListeningYet) {
        if (System.nanoTime() > deadline) {
          throw notListeningYet;
        }
        Thread.sleep(50);
      }
    }
  }
}
