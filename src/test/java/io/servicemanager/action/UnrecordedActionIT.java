package io.servicemanager.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Addresses;
import io.servicemanager.ErrorCode;
import io.servicemanager.auth.Identity;
import io.servicemanager.auth.Role;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.systemd.DbusSystemdClient;
import io.servicemanager.testing.SystemdSandboxExtension;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Nothing acknowledged is lost: an action whose record cannot be written is never answered as a success. */
class UnrecordedActionIT {
  @RegisterExtension
  static SystemdSandboxExtension systemd = new SystemdSandboxExtension()
      .withUnit("quick.service", "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n");

  static Vertx vertx;

  @BeforeAll
  static void deploy() throws Exception {
    vertx = Vertx.vertx();
    OperationLog broken = record -> Future.failedFuture("disk full");
    ServiceCatalogue services = new ServiceCatalogue(List.of(new ServiceDefinition("quick", "quick.service",
        "Quick", "A oneshot", Permission.ALL, true)));
    vertx.deployVerticle(new ActionVerticle(new DbusSystemdClient(vertx, systemd.busAddress()), services, broken,
        30_000, 0)).await(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void close() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("systemd does the restart, the record cannot be written: the caller hears internal_error naming what happened, not success")
  void unrecordedIsNotConfirmed() throws Exception {
    JsonObject request = new JsonObject().put("service", "quick").put("action", "restart")
        .put("identity", new Identity("alice", Role.OPERATOR, null).toJson());
    JsonObject answer = vertx.eventBus().<JsonObject>request(Addresses.ACTION, request).await(60, TimeUnit.SECONDS).body();
    assertThat(answer.getString("status")).isEqualTo("error");
    assertThat(answer.getString("code")).isEqualTo(ErrorCode.INTERNAL_ERROR.code());
    assertThat(answer.getString("message"))
        .isEqualTo("quick: the restart ended (done) but could not be recorded in the history, so it is not confirmed: disk full");
    assertThat(systemd.systemctl("is-active", "quick.service").stdout().trim()).as("systemd did the restart").isEqualTo("active");
  }
}
