package io.servicemanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.config.ConfigLoader;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class DiscoverIT {
  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension("units/sleeper.service", "units/bench@.service")
      .withUnit("quoted.service", "[Unit]\nDescription=Has \"quotes\" and a: colon\n[Service]\nExecStart=/bin/sleep 400\n");

  @TempDir Path dir;

  @Test
  @DisplayName("discover prints a services.yaml that validates: every service unit at the least privilege, no bare templates")
  void discover() throws Exception {
    systemd.sandbox().systemctlOk("start", "sleeper.service", "quoted.service");
    CommandLineIT.Run r = CommandLineIT.run("discover", "--bus", systemd.busAddress());
    assertThat(r.status()).as(r.err()).isZero();
    Path file = Files.writeString(dir.resolve("services.yaml"), r.out());
    Vertx vertx = Vertx.vertx();
    try {
      ServiceCatalogue found = ConfigLoader.loadServices(vertx, file).await();
      assertThat(found.find("sleeper")).isPresent();
      assertThat(found.find("quoted").orElseThrow().displayName()).isEqualTo("Has \"quotes\" and a: colon");
      assertThat(found.all()).allMatch(s -> s.permission() == Permission.RESTART);
      assertThat(found.all()).noneMatch(s -> s.name().endsWith("@"));
    } finally {
      vertx.close().await();
    }
  }
}
