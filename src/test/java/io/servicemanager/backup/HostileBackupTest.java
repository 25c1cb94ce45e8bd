package io.servicemanager.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives that are not what they claim: each a clear error, and nothing on disk changes or appears. */
class HostileBackupTest {
  @TempDir Path dir;
  private Vertx vertx;
  private Path config;
  private Path good;
  private Map<String, String> before;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    config = Fixture.installation(dir.resolve("site"));
    Installation installation = Fixture.of(vertx, config);
    good = Fixture.writer().write(installation, dir.resolve("good.tar.gz")).file();
    Files.writeString(installation.services(), Fixture.TWO); // differs from the backup: a restore would write it
    before = Fixture.snapshot(dir.resolve("site"));
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private AbstractThrowableAssert<?, ? extends Throwable> restoring(Path archive, BackupReader.Limits limits) throws Exception {
    Restore restore = new Restore(vertx, new BackupReader(limits), Fixture.writer());
    var refused = assertThatThrownBy(() -> restore.check(archive, config)).isInstanceOf(BackupException.class);
    Fixture.assertUnchanged(dir.resolve("site"), before);
    assertThat(dir.resolve("escaped")).as("nothing written outside").doesNotExist();
    return refused;
  }

  private AbstractThrowableAssert<?, ? extends Throwable> restoring(Path archive) throws Exception {
    return restoring(archive, BackupReader.Limits.DEFAULT);
  }

  /** The good backup's entries plus one special entry (a manifest that describes the regular files). */
  private Path withSpecial(TarArchiveEntry special) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>(Fixture.entries(good));
    Path rebuilt = Fixture.archive(dir.resolve("rebuilt.tar.gz"), entries);
    Map<String, byte[]> withManifest = new LinkedHashMap<>(Fixture.entries(rebuilt));
    return Fixture.tar(dir.resolve("special.tar.gz"), withManifest, special);
  }

  @Test
  @DisplayName("A truncated backup is refused as damaged or truncated")
  void truncated() throws Exception {
    byte[] bytes = Files.readAllBytes(good);
    Path cut = Files.write(dir.resolve("cut.tar.gz"), Arrays.copyOf(bytes, bytes.length / 2));
    restoring(cut).hasMessageContaining("is damaged or truncated");
  }

  @Test
  @DisplayName("A file that is no tar.gz is refused as not a backup")
  void notGzip() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.tar.gz"), "services:\n  pzserver: {}\n");
    restoring(text).hasMessageContaining("is not a gzip-compressed tar archive: not a Service Manager backup");
  }

  @Test
  @DisplayName("A foreign tarball — no manifest, entries a backup never holds — is refused as not a backup")
  void foreign() throws Exception {
    Path foreign = Fixture.tar(dir.resolve("foreign.tar.gz"), Map.of("etc/hosts", "127.0.0.1 localhost\n".getBytes(StandardCharsets.UTF_8)));
    restoring(foreign).hasMessageContaining("unexpected entry etc/hosts: not a Service Manager backup")
        .hasMessageContaining("has no manifest.json: not a Service Manager backup");
  }

  @Test
  @DisplayName("A file that does not match its checksum in the manifest is refused")
  void checksumMismatch() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>(Fixture.entries(good));
    entries.put("config/services.yaml", Fixture.service("pzserver", "all").getBytes(StandardCharsets.UTF_8));
    Path altered = Fixture.tar(dir.resolve("altered.tar.gz"), entries);
    restoring(altered).hasMessageContaining("config/services.yaml does not match its checksum in the manifest");
  }

  @Test
  @DisplayName("An entry whose path climbs out with ../ is refused")
  void dotDot() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>(Fixture.entries(good));
    entries.put("config-history/../../escaped", "x".getBytes(StandardCharsets.UTF_8));
    Path climbing = Fixture.archive(dir.resolve("climbing.tar.gz"), entries);
    restoring(climbing).hasMessageContaining("entry config-history/../../escaped has a path that leaves or wanders its folder");
  }

  @Test
  @DisplayName("An entry with an absolute path is refused")
  void absolute() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>(Fixture.entries(good));
    entries.put(dir.resolve("escaped").toString(), "x".getBytes(StandardCharsets.UTF_8));
    Path absolute = Fixture.archive(dir.resolve("absolute.tar.gz"), entries);
    restoring(absolute).hasMessageContaining("entry " + dir.resolve("escaped") + " has an absolute or unusual path");
  }

  @Test
  @DisplayName("A symbolic link pointing out of the target is refused")
  void symlink() throws Exception {
    TarArchiveEntry link = new TarArchiveEntry("config-history/refs/escape", TarConstants.LF_SYMLINK);
    link.setLinkName(dir.resolve("escaped").toString());
    restoring(withSpecial(link)).hasMessageContaining("entry config-history/refs/escape is a symbolic link (to "
        + dir.resolve("escaped") + "): a backup holds regular files only");
  }

  @Test
  @DisplayName("A hard link pointing out of the target is refused")
  void hardlink() throws Exception {
    TarArchiveEntry link = new TarArchiveEntry("config-history/refs/escape", TarConstants.LF_LINK);
    link.setLinkName("../../../escaped");
    restoring(withSpecial(link)).hasMessageContaining("entry config-history/refs/escape is a hard link (to ../../../escaped)");
  }

  @Test
  @DisplayName("A device file is refused")
  void device() throws Exception {
    TarArchiveEntry device = new TarArchiveEntry("config-history/null", TarConstants.LF_CHR);
    device.setDevMajor(1);
    device.setDevMinor(3);
    restoring(withSpecial(device)).hasMessageContaining("entry config-history/null is a device or pipe");
  }

  @Test
  @DisplayName("An entry larger than the bound is refused before a byte of it is unpacked")
  void hugeEntry() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>(Fixture.entries(good));
    entries.put("config-history/objects/pack/huge.pack", new byte[2 << 20]);
    Path huge = Fixture.archive(dir.resolve("huge.tar.gz"), entries);
    restoring(huge, new BackupReader.Limits(1 << 20, 64 << 20, 1000))
        .hasMessageContaining("entry config-history/objects/pack/huge.pack is 2097152 bytes, more than the 1048576 a backup entry may hold");
  }
}
