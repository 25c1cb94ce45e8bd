package io.servicemanager.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class BareGetsTest {
  @Test
  @DisplayName("The bare connection's socket is the first unix:path= of a D-Bus address, its %XX escapes undone")
  void socketPath() throws IOException {
    assertThat(BareGets.socketPath("unix:path=/run/user/0/bus")).isEqualTo(Path.of("/run/user/0/bus"));
    assertThat(BareGets.socketPath("unix:path=/tmp/a%20b/bus,guid=0123")).isEqualTo(Path.of("/tmp/a b/bus"));
    assertThat(BareGets.socketPath("unix:abstract=/tmp/x;unix:path=/run/dbus/system_bus_socket"))
        .isEqualTo(Path.of("/run/dbus/system_bus_socket"));
  }

  @Test
  @DisplayName("An address without unix:path= is refused, for the caller to read through dbus-java")
  void otherAddresses() {
    assertThatThrownBy(() -> BareGets.socketPath("tcp:host=localhost,port=1234")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> BareGets.socketPath("unix:abstract=/tmp/dbus-x")).isInstanceOf(IOException.class);
  }

  @Test
  @Timeout(120)
  @DisplayName("A bus that accepts the connection but never answers its authentication fails the open after the quiet time, never hangs it")
  void frozenBus(@TempDir Path dir) throws Exception {
    Path socket = dir.resolve("frozen-bus");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      assertThatThrownBy(() -> BareGets.open("unix:path=" + socket, 300))
          .isInstanceOf(IOException.class).hasMessageContaining("no answer");
    }
  }
}
