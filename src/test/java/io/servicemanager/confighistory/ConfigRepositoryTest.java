package io.servicemanager.confighistory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigRepositoryTest {
  static final String ONE = "services:\n" + ChangeSummaryTest.service("pzserver", "restart", true);
  static final String TWO = ONE + ChangeSummaryTest.service("minecraft", "all", true);

  @TempDir Path dir;

  private Path history() {
    return dir.resolve("config-history");
  }

  private static Map<String, String> set(String name, String text) {
    Map<String, String> files = new HashMap<>();
    files.put(name, text);
    return files;
  }

  @Test
  @DisplayName("Each different set of files is a commit with the three files at the root; the same content again records nothing")
  void records() throws Exception {
    try (ConfigRepository repo = ConfigRepository.openOrCreate(history())) {
      Map<String, String> start = ChangeSummaryTest.files("http:\n  port: 8080\n", ONE, null);
      Version first = repo.record(start).orElseThrow();
      assertThat(first.message()).isEqualTo("first version: 1 service, 0 users, 0 tokens");
      assertThat(repo.record(start)).as("identical content").isEmpty();
      assertThat(repo.record(set(ConfigFiles.SERVICES, ONE))).as("the same services.yaml").isEmpty();
      Version second = repo.record(set(ConfigFiles.SERVICES, TWO)).orElseThrow();
      assertThat(second.message()).isEqualTo("services: +minecraft (all)");
      assertThat(repo.log()).containsExactly(second, first);
      assertThat(repo.files(second)).containsExactly(Map.entry(ConfigFiles.CONFIG, "http:\n  port: 8080\n"),
          Map.entry(ConfigFiles.SERVICES, TWO));
      assertThat(repo.files(first)).containsEntry(ConfigFiles.SERVICES, ONE).doesNotContainKey(ConfigFiles.USERS);
      assertThat(repo.resolve(second.rev())).isEqualTo(second);
      assertThat(repo.resolve("HEAD~1")).isEqualTo(first);
      assertThat(second.rev()).hasSize(7).isEqualTo(second.id().substring(0, 7));
    }
    // A plain git repository: any git tool reads it.
    try (Git git = Git.open(history().toFile())) {
      assertThat(git.getRepository().isBare()).isTrue();
      assertThat(git.log().call()).extracting(c -> c.getShortMessage()).containsExactly("services: +minecraft (all)",
          "first version: 1 service, 0 users, 0 tokens");
    }
    try (Stream<Path> files = Files.walk(history())) {
      assertThat(files.map(Path::getFileName).map(Path::toString)).as("no secret.key, no working tree")
          .doesNotContain("secret.key", "services.yaml");
    }
  }

  @Test
  @DisplayName("An unknown or malformed REV is a clear error")
  void badRevision() {
    try (ConfigRepository repo = ConfigRepository.openOrCreate(history())) {
      repo.record(set(ConfigFiles.SERVICES, ONE));
      assertThatThrownBy(() -> repo.resolve("deadbeef")).isInstanceOf(HistoryException.class)
          .hasMessage("unknown revision deadbeef: `config log` lists the versions");
      for (String bad : List.of("HEAD:users.yaml", "main@{1}", "../x", "", "abc")) {
        assertThatThrownBy(() -> repo.resolve(bad)).as(bad).isInstanceOf(HistoryException.class)
            .hasMessageStartingWith("not a revision: " + bad);
      }
      assertThatThrownBy(() -> repo.resolve("HEAD~5")).isInstanceOf(HistoryException.class)
          .hasMessageStartingWith("unknown revision HEAD~5");
    }
  }

  @Test
  @DisplayName("A damaged repository is named as such: a garbage branch, a lost object, a folder that is no repository")
  void damaged() throws Exception {
    try (ConfigRepository repo = ConfigRepository.openOrCreate(history())) {
      repo.record(set(ConfigFiles.SERVICES, ONE));
      repo.record(set(ConfigFiles.SERVICES, TWO));
    }
    Path branch = history().resolve("refs/heads/main");
    String head = Files.readString(branch);
    Files.writeString(branch, "not a commit id\n");
    assertThatThrownBy(() -> ConfigRepository.open(history())).isInstanceOf(HistoryException.class)
        .hasMessageContaining("the configuration history at " + history() + " is damaged");
    assertThatThrownBy(() -> ConfigRepository.openOrCreate(history())).isInstanceOf(HistoryException.class)
        .hasMessageContaining("is damaged");

    Files.writeString(branch, head);
    try (Stream<Path> objects = Files.walk(history().resolve("objects"))) {
      for (Path object : objects.filter(Files::isRegularFile).toList()) {
        Files.writeString(object, "garbage"); // every loose object unreadable
      }
    }
    assertThatThrownBy(() -> {
      try (ConfigRepository repo = ConfigRepository.open(history())) {
        repo.log();
      }
    }).isInstanceOf(HistoryException.class).hasMessageContaining("is damaged");

    Path notARepo = Files.createDirectories(dir.resolve("plain"));
    Files.writeString(notARepo.resolve("notes.txt"), "x");
    assertThatThrownBy(() -> ConfigRepository.openOrCreate(notARepo)).isInstanceOf(HistoryException.class)
        .hasMessageContaining("is damaged (not a git repository)");
    assertThatThrownBy(() -> ConfigRepository.open(dir.resolve("absent"))).isInstanceOf(HistoryException.class)
        .hasMessageStartingWith("no configuration history at");
  }
}
