package io.servicemanager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** `demo --nodes` and `--cluster-port` are checked before anything starts (no sandbox, no JVM). */
class DemoNodesOptionTest {
  private record Run(int status, String err) {}

  private static Run demo(String... args) {
    StringWriter err = new StringWriter();
    var commandLine = Main.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(new StringWriter(), true));
    String[] all = new String[args.length + 1];
    all[0] = "demo";
    System.arraycopy(args, 0, all, 1, args.length);
    return new Run(commandLine.execute(all), err.toString());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "--nodes, 0, '--nodes must be a whole number from 1 to 10 (got 0)'",
      "--nodes, -3, '--nodes must be a whole number from 1 to 10 (got -3)'",
      "--nodes, 11, '--nodes must be a whole number from 1 to 10 (got 11)'",
      "--nodes, three, '''three'' is not an int'",
      "--cluster-port, 65536, '--cluster-port must be 0 to 65535 (got 65536)'",
      "--cluster-port, -1, '--cluster-port must be 0 to 65535 (got -1)'"})
  @DisplayName("A bad --nodes or --cluster-port exits 2 with a message that names the option and the value")
  void rejects(String option, String value, String message) {
    Run run = demo(option, value);
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains(message);
  }

  @Test
  @DisplayName("The free ports for the demo's Hazelcast members start at the base and skip one that is taken")
  void freePortsSkipTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int base = taken.getLocalPort();
      List<Integer> ports = FreePorts.from("127.0.0.1", base, 3);
      assertThat(ports).hasSize(3).doesNotContain(base).doesNotHaveDuplicates().allMatch(p -> p > base);
    }
  }

  @Test
  @DisplayName("Base port 0 gives distinct free ports the system picks")
  void anyFreePorts() throws Exception {
    assertThat(FreePorts.from("127.0.0.1", 0, 4)).hasSize(4).doesNotHaveDuplicates().allMatch(p -> p > 0);
  }
}
