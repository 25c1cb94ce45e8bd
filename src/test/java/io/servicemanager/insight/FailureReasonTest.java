package io.servicemanager.insight;

import static io.servicemanager.insight.FailureReason.CLD_DUMPED;
import static io.servicemanager.insight.FailureReason.CLD_EXITED;
import static io.servicemanager.insight.FailureReason.CLD_KILLED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureReasonTest {
  private static FailureReason reason(String result, Integer code, Integer status) {
    return FailureReason.of(result, code, status, "active", null).orElseThrow();
  }

  @Test
  @DisplayName("Success, or no result at all, is no failure")
  void successIsNoFailure() {
    assertThat(FailureReason.of("success")).isEmpty();
    assertThat(FailureReason.of(null)).isEmpty();
    assertThat(FailureReason.of("")).isEmpty();
  }

  @Test
  @DisplayName("A non-zero exit reads 'exited with status N', code exit-code:N")
  void exitCode() {
    assertThat(reason("exit-code", CLD_EXITED, 1)).isEqualTo(new FailureReason("exit-code:1", "exited with status 1"));
    assertThat(reason("exit-code", null, 203)).isEqualTo(new FailureReason("exit-code:203", "exited with status 203"));
    assertThat(reason("exit-code", null, null)).isEqualTo(new FailureReason("exit-code", "exited with a failure status"));
  }

  @Test
  @DisplayName("A kill reads 'killed by signal 9 (KILL)', code signal:KILL")
  void signal() {
    assertThat(reason("signal", CLD_KILLED, 9)).isEqualTo(new FailureReason("signal:KILL", "killed by signal 9 (KILL)"));
    assertThat(reason("signal", CLD_KILLED, 15)).isEqualTo(new FailureReason("signal:TERM", "killed by signal 15 (TERM)"));
    assertThat(reason("signal", null, null)).isEqualTo(new FailureReason("signal", "killed"));
  }

  @Test
  @DisplayName("A core dump reads 'dumped core on signal 11 (SEGV)', code core-dump:SEGV")
  void coreDump() {
    assertThat(reason("core-dump", CLD_DUMPED, 11))
        .isEqualTo(new FailureReason("core-dump:SEGV", "dumped core on signal 11 (SEGV)"));
    assertThat(reason("core-dump", CLD_DUMPED, 6))
        .isEqualTo(new FailureReason("core-dump:ABRT", "dumped core on signal 6 (ABRT)"));
  }

  @Test
  @DisplayName("ExecMainCode decides whether ExecMainStatus is an exit status or a signal number")
  void execMainCodeDecides() {
    assertThat(reason("exit-code", CLD_KILLED, 9).code()).isEqualTo("signal:KILL");
    assertThat(reason("exit-code", CLD_DUMPED, 11).code()).isEqualTo("core-dump:SEGV");
    assertThat(reason("exit-code", CLD_EXITED, 9).code()).isEqualTo("exit-code:9");
  }

  @Test
  @DisplayName("A signal without a name is given by number, in the code too")
  void unnamedSignal() {
    assertThat(reason("signal", CLD_KILLED, 99)).isEqualTo(new FailureReason("signal:99", "killed by signal 99"));
    assertThat(reason("signal", CLD_KILLED, 36)).isEqualTo(new FailureReason("signal:RTMIN+2", "killed by signal 36 (RTMIN+2)"));
  }

  @Test
  @DisplayName("A timeout names the phase and the configured seconds when known")
  void timeout() {
    assertThat(FailureReason.of("timeout", null, null, "activating", 90L).orElseThrow())
        .isEqualTo(new FailureReason("timeout", "did not start within 90 s"));
    assertThat(FailureReason.of("timeout", null, null, "deactivating", 30L).orElseThrow())
        .isEqualTo(new FailureReason("timeout", "did not stop within 30 s"));
    assertThat(FailureReason.of("timeout", null, null, "activating", null).orElseThrow().words())
        .isEqualTo("did not start in time");
    assertThat(FailureReason.of("timeout", null, null, "active", 3600L).orElseThrow().words())
        .isEqualTo("timed out after 3600 s");
    assertThat(FailureReason.of("timeout").orElseThrow().words()).isEqualTo("timed out");
  }

  @ParameterizedTest(name = "{0} → {1}: {2}")
  @DisplayName("systemd's other Result words map to a fixed code and plain words")
  @CsvSource(delimiter = '|', value = {
      "start-limit-hit | start-limit-hit | restarted too often (start limit)",
      "oom-kill        | oom-kill        | ran out of memory",
      "watchdog        | watchdog        | stopped answering its watchdog",
      "resources       | resources       | could not get what it needs to run (a missing file, directory or user?)",
      "protocol        | protocol        | broke the service protocol (no PID file or READY=1?)",
      "exec-condition  | exec-condition  | its ExecCondition= check said no",
  })
  void otherResults(String result, String code, String words) {
    assertThat(FailureReason.of(result).orElseThrow()).isEqualTo(new FailureReason(code, words));
  }

  @Test
  @DisplayName("A Result word systemd adds later keeps its word as the code, cleaned to a label-safe alphabet")
  void unknownResult() {
    assertThat(FailureReason.of("frobnicated").orElseThrow()).isEqualTo(new FailureReason("frobnicated", "failed (frobnicated)"));
    assertThat(FailureReason.of("Bad Thing\"{}").orElseThrow().code()).isEqualTo("bad-thing---");
  }

  @ParameterizedTest(name = "{0} is {1}")
  @DisplayName("Signal numbers are named as Linux numbers them on x86-64 and arm64")
  @CsvSource({"1, HUP", "2, INT", "6, ABRT", "7, BUS", "9, KILL", "10, USR1", "11, SEGV", "13, PIPE", "15, TERM",
      "16, STKFLT", "17, CHLD", "19, STOP", "31, SYS", "34, RTMIN", "49, RTMIN+15", "50, RTMAX-14", "64, RTMAX"})
  void signalNames(int number, String name) {
    assertThat(Signals.name(number)).isEqualTo(name);
  }

  @Test
  @DisplayName("Numbers that are no signal have no name")
  void noSignal() {
    assertThat(Signals.name(0)).isNull();
    assertThat(Signals.name(32)).isNull();
    assertThat(Signals.name(65)).isNull();
    assertThat(Signals.name(-1)).isNull();
  }
}
