package io.servicemanager.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.config.AppConfig;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.config.ConfigValidator;
import io.servicemanager.confighistory.ConfigFiles;
import io.servicemanager.confighistory.ConfigRepository;
import io.servicemanager.insight.InsightDatabase;
import io.servicemanager.testing.TestConfigs;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * An installation in the default layout — {@code conf/} with the three files, {@code data/} with the
 * database, the history and the session key — and archives built by hand for the hostile cases.
 */
final class Fixture {
  static final String ONE = service("pzserver", "restart");
  static final String TWO = ONE + service("minecraft", "all").substring("services:\n".length());
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T06:00:00Z"), ZoneOffset.UTC);

  private Fixture() {}

  static String service(String name, String level) {
    return "services:\n  " + name + ":\n    display_name: " + name + "\n    description: d\n    permissions_required: " + level
        + "\n    status_check_allowed: true\n";
  }

  /** root/conf/config.yaml (every default), services (pzserver), users (the test operator); root/data with 3 operations and 2 versions. */
  static Path installation(Path root) throws Exception {
    Path conf = Files.createDirectories(root.resolve("conf"));
    Path config = Files.writeString(conf.resolve("config.yaml"), "http:\n  port: 8080\n");
    Files.writeString(conf.resolve("services.yaml"), ONE);
    TestConfigs.writeUsers(conf.resolve("users.yaml"));
    Path data = Files.createDirectories(root.resolve("data"));
    Files.writeString(data.resolve("secret.key"), "not to be copied");
    try (InsightDatabase db = InsightDatabase.open(data.resolve("servicemanager.db"))) {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.file()); Statement s = c.createStatement()) {
        for (int i = 0; i < 3; i++) {
          s.execute("INSERT INTO operations (at, service, unit, action, user, result, duration_ms, message) VALUES ("
              + (1000 + i) + ", 'pzserver', 'pzserver.service', 'restart', 'tester', 'success', 5, 'done " + i + "')");
        }
      }
    }
    try (ConfigRepository history = ConfigRepository.openOrCreate(data.resolve("config-history"))) {
      history.record(ConfigFiles.read(ConfigFiles.paths(config, conf.resolve("services.yaml"), conf.resolve("users.yaml"))));
      history.record(Map.of(ConfigFiles.SERVICES, TWO));
    }
    return config;
  }

  static Installation of(Vertx vertx, Path config) {
    AppConfig app = ConfigLoader.loadOptional(vertx, config, json -> ConfigValidator.validateApp(json, config.getParent())).await();
    return Installation.of(config, app);
  }

  static BackupWriter writer() {
    return new BackupWriter("9.9.9", CLOCK);
  }

  static Restore restore(Vertx vertx) {
    return new Restore(vertx, new BackupReader(BackupReader.Limits.DEFAULT), writer());
  }

  static long operations(Path database) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM operations")) {
      return rs.getLong(1);
    }
  }

  /** Every file under {@code root} → its bytes, to prove nothing changed. */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.toList()) {
        files.put(root.relativize(file).toString(), Files.isRegularFile(file)
            ? java.util.HexFormat.of().formatHex(Files.readAllBytes(file)) : "folder");
      }
    }
    return files;
  }

  /** The entries of a tar.gz, name → bytes, in order. */
  static Map<String, byte[]> entries(Path archive) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(archive)))) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        entries.put(e.getName(), tar.readAllBytes());
      }
    }
    return entries;
  }

  /** The entries (regular files) with a manifest that truly describes them, as a backup would be. */
  static Path archive(Path file, Map<String, byte[]> entries) throws IOException {
    Map<String, Manifest.Sum> sums = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      if (!e.getKey().equals(Manifest.NAME)) {
        java.security.MessageDigest sha = Checksums.sha256();
        sums.put(e.getKey(), new Manifest.Sum(java.util.HexFormat.of().formatHex(sha.digest(e.getValue())), e.getValue().length));
      }
    }
    Map<String, byte[]> all = new LinkedHashMap<>();
    all.put(Manifest.NAME, new Manifest("9.9.9", CLOCK.instant(), sums).toJson().getBytes(StandardCharsets.UTF_8));
    entries.forEach((name, bytes) -> {
      if (!name.equals(Manifest.NAME)) {
        all.put(name, bytes);
      }
    });
    return tar(file, all);
  }

  /** Regular-file entries exactly as given (no manifest added). */
  static Path tar(Path file, Map<String, byte[]> entries) throws IOException {
    return tar(file, entries, null);
  }

  /** As {@link #tar(Path, Map)}, then one more, special entry. */
  static Path tar(Path file, Map<String, byte[]> entries, TarArchiveEntry special) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
      if (special != null) {
        tar.putArchiveEntry(special);
        tar.closeArchiveEntry();
      }
    }
    return Files.write(file, bytes.toByteArray());
  }

  static void assertUnchanged(Path root, Map<String, String> before) throws IOException {
    assertThat(snapshot(root)).as("every file byte-identical, nothing added").isEqualTo(before);
  }
}
