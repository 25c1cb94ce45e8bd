package io.servicemanager.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JobJudgeTest {
  private static UnitSnapshot after(String active, String result, long status, String type) {
    Map<String, Object> props = new HashMap<>();
    props.put("LoadState", "loaded");
    props.put("ActiveState", active);
    props.put("Result", result);
    props.put("ExecMainStatus", status);
    props.put("Type", type);
    return new UnitSnapshot("u.service", "/u", props);
  }

  @Test
  @DisplayName("A start that ends done with the service running is success")
  void doneAndRunning() {
    JobOutcome o = JobJudge.judge(Action.START, "done", after("active", "success", 0, "simple"));
    assertThat(o.success()).isTrue();
    assertThat(o.result()).isEqualTo("done");
  }

  @Test
  @DisplayName("A start that ends done but leaves the service failed is failed, with the exit status as reason")
  void doneButFailed() {
    JobOutcome o = JobJudge.judge(Action.START, "done", after("failed", "exit-code", 1, "simple"));
    assertThat(o.result()).isEqualTo("failed");
    assertThat(o.systemdResult()).isEqualTo("exit-code");
    assertThat(o.exitStatus()).isEqualTo(1L);
    assertThat(o.message()).contains("exited with status 1");
  }

  @Test
  @DisplayName("A oneshot that ran to success and ended inactive is success; one that ended inactive with an error is not")
  void oneshot() {
    assertThat(JobJudge.judge(Action.START, "done", after("inactive", "success", 0, "oneshot")).success()).isTrue();
    assertThat(JobJudge.judge(Action.START, "done", after("inactive", "exit-code", 2, "oneshot")).result()).isEqualTo("failed");
  }

  @Test
  @DisplayName("systemd's failure words pass through as the result: failed, dependency, canceled, timeout")
  void failureWords() {
    for (String word : new String[] {"failed", "dependency", "canceled", "timeout"}) {
      assertThat(JobJudge.judge(Action.START, word, after("inactive", "success", 0, "simple")).result()).isEqualTo(word);
    }
  }

  @Test
  @DisplayName("A start timeout names the timeout as the reason")
  void startTimeout() {
    JobOutcome o = JobJudge.judge(Action.START, "failed", after("failed", "timeout", 0, "notify"));
    assertThat(o.result()).isEqualTo("failed");
    assertThat(o.message()).contains("timed out");
  }

  @Test
  @DisplayName("A stop that ends done is success even when the unit was failed before")
  void stopOfFailedUnit() {
    assertThat(JobJudge.judge(Action.STOP, "done", after("failed", "exit-code", 1, "simple")).success()).isTrue();
  }

  @Test
  @DisplayName("A skipped job is not reported as success")
  void skipped() {
    assertThat(JobJudge.judge(Action.RESTART, "skipped", after("active", "success", 0, "simple")).success()).isFalse();
  }

  @Test
  @DisplayName("Only a freshly started simple, exec or idle service needs watching before it counts as started")
  void settle() {
    assertThat(JobJudge.needsSettle(Action.START, after("active", "success", 0, "simple"))).isTrue();
    assertThat(JobJudge.needsSettle(Action.RESTART, after("active", "success", 0, "exec"))).isTrue();
    assertThat(JobJudge.needsSettle(Action.START, after("active", "success", 0, "notify"))).isFalse();
    assertThat(JobJudge.needsSettle(Action.START, after("active", "success", 0, "oneshot"))).isFalse();
    assertThat(JobJudge.needsSettle(Action.STOP, after("inactive", "success", 0, "simple"))).isFalse();
    assertThat(JobJudge.needsSettle(Action.START, after("failed", "exit-code", 1, "simple"))).isFalse();
  }
}
