package io.servicemanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.metrics.Metrics;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The manager's event loops run on Linux's native epoll where it loads, on NIO where it does not. */
class NetTransportTest {

  @Test
  @DisplayName("The manager's Vert.x runs on the native epoll transport on linux-x86_64: the jar carries its library")
  void nativeByDefault() {
    Vertx vertx = Metrics.vertx();
    try {
      assertThat(vertx.isNativeTransportEnabled()).isTrue();
      assertThat(NetTransport.configured().describe(vertx)).isEqualTo("network transport epoll (native)");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("io_uring and NIO can be chosen by name; an unknown name runs on NIO and says why")
  void chosenByName() {
    assertThat(NetTransport.of("io_uring").name()).isEqualTo("io_uring");
    assertThat(NetTransport.of("NIO").name()).isEqualTo("nio");
    NetTransport unknown = NetTransport.of("dpdk");
    assertThat(unknown.name()).isEqualTo("nio");
    Vertx vertx = unknown.applyTo(Vertx.builder()).build();
    try {
      assertThat(vertx.isNativeTransportEnabled()).isFalse();
      assertThat(unknown.describe(vertx)).isEqualTo(
          "network transport nio; unknown servicemanager.transport \"dpdk\" (epoll, io_uring, nio)");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("Where the native library cannot load, the manager's Vert.x runs on NIO, serves, and says why")
  void degradesToNio() throws Exception {
    // Netty's own switch makes the native library unloadable, as on another architecture.
    Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dio.netty.transport.noNative=true", "-cp", System.getProperty("java.class.path"),
        NetTransportProbe.class.getName()).redirectErrorStream(true).start();
    assertThat(probe.waitFor(120, TimeUnit.SECONDS)).as("the probe ends").isTrue();
    List<String> lines = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertThat(probe.exitValue()).as(String.join("\n", lines)).isZero();
    assertThat(lines).anySatisfy(line -> assertThat(line)
        .startsWith("network transport nio; epoll unavailable: ")
        .contains("noNative"));
    assertThat(lines).contains("served: ok");
  }
}
