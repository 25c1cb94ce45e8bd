package io.servicemanager.backup;

import io.servicemanager.confighistory.ConfigRepository;
import io.servicemanager.confighistory.HistoryException;
import io.servicemanager.insight.InsightBackup;
import io.servicemanager.insight.InsightDatabaseException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Writes one tar.gz of an installation: a {@link Manifest} first, then the three files, a copy of
 * the insight database made with SQLite's backup API and the configuration history. Everything is
 * first copied into a private folder beside the output — so each checksum is of the bytes archived
 * — and the archive appears under its name only when complete (mode 0600). Blocking.
 */
public final class BackupWriter {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** A backup written: where, and what it holds. */
  /** @param warnings parts kept as they are because they could not be read as they should (only when salvaging) */
  public record Written(Path file, Manifest manifest, List<String> warnings) {}

  private final String release;
  private final Clock clock;

  public BackupWriter(String release, Clock clock) {
    this.release = release;
    this.clock = clock;
  }

  /** {@code backups/PREFIX-TIME.tar.gz} in the installation's state directory. */
  public Path defaultOutput(Installation installation, String prefix) {
    return installation.backups().resolve(prefix + "-" + STAMP.format(clock.instant()) + ".tar.gz");
  }

  /**
   * @return the archive (never over an existing file) and its manifest
   * @throws BackupException when something cannot be read or the output cannot be written
   */
  public Written write(Installation installation, Path output) {
    return write(installation, output, false);
  }

  /**
   * @param salvage keep a damaged database or history as its bytes, with a warning, instead of
   *     failing: what a restore replaces is kept even when it is the damage the restore repairs
   */
  public Written write(Installation installation, Path output, boolean salvage) {
    List<String> warnings = new ArrayList<>();
    Path out = output.toAbsolutePath().normalize();
    Path staging = null;
    try {
      createPrivateFolder(out.getParent());
      if (Files.exists(out)) {
        throw new BackupException(List.of(out + " exists already: choose another --output"));
      }
      staging = Files.createTempDirectory(out.getParent(), ".backup-");
      Map<String, Path> entries = snapshot(installation, staging, salvage ? warnings : null);
      Map<String, Manifest.Sum> sums = new LinkedHashMap<>();
      for (Map.Entry<String, Path> entry : entries.entrySet()) {
        sums.put(entry.getKey(), Checksums.of(entry.getValue()));
      }
      Manifest manifest = new Manifest(release, clock.instant(), sums);
      Path temp = Files.createTempFile(out.getParent(), "." + out.getFileName(), ".part",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        archive(manifest, entries, temp);
        Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
      return new Written(out, manifest, warnings);
    } catch (FileAlreadyExistsException e) {
      throw new BackupException(List.of(out + " exists already: choose another --output"));
    } catch (IOException e) {
      throw new BackupException("cannot write the backup " + out + ": " + e, e);
    } finally {
      Folders.deleteQuietly(staging);
    }
  }

  /** Consistent copies of everything to archive: archive name → copy. */
  /** @param warnings where salvaged parts are told; null: a damaged part fails the backup */
  private Map<String, Path> snapshot(Installation installation, Path staging, List<String> warnings) throws IOException {
    Map<String, Path> entries = new LinkedHashMap<>();
    for (Map.Entry<String, Path> file : installation.files().entrySet()) {
      if (Files.isRegularFile(file.getValue())) {
        entries.put(file.getKey(), Files.copy(file.getValue(), staging.resolve(Path.of(file.getKey()).getFileName())));
      }
    }
    if (Files.isRegularFile(installation.database())) {
      Path copy = staging.resolve("servicemanager.db");
      try {
        InsightBackup.copy(installation.database(), copy);
      } catch (InsightDatabaseException e) {
        if (warnings == null) {
          throw new BackupException(e.getMessage(), e);
        }
        Files.deleteIfExists(copy);
        Files.copy(installation.database(), copy);
        warnings.add(e.getMessage() + ": kept its bytes as they were");
      }
      entries.put(Installation.DATABASE, copy);
    }
    if (Files.isDirectory(installation.history())) {
      Path copy = staging.resolve("config-history");
      copyHistory(installation.history(), copy);
      try (ConfigRepository check = ConfigRepository.open(copy)) {
        check.log();
      } catch (HistoryException e) {
        if (warnings == null) {
          throw new BackupException("the configuration history cannot be backed up: " + e.getMessage(), e);
        }
        warnings.add("the configuration history is damaged (" + e.getMessage() + "): kept its files as they were");
      }
      try (Stream<Path> files = Files.walk(copy)) {
        files.filter(Files::isRegularFile).sorted().forEach(f ->
            entries.put(Installation.HISTORY + copy.relativize(f).toString().replace('\\', '/'), f));
      }
    }
    return entries;
  }

  /**
   * Copies a git repository that a running manager may be committing to: its references before its
   * objects. Git writes a commit's objects before the reference that names it, so every commit the
   * copied references name is among the copied objects; a newer object is merely unreferenced.
   * Lock files are a commit in flight, not state.
   */
  private static void copyHistory(Path from, Path to) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(from)) {
      files = new ArrayList<>(walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".lock")).toList());
    }
    Path objects = from.resolve("objects");
    files.sort(Comparator.comparing((Path f) -> f.startsWith(objects)).thenComparing(Comparator.naturalOrder()));
    for (Path file : files) {
      Path target = to.resolve(from.relativize(file).toString());
      Files.createDirectories(target.getParent());
      try {
        Files.copy(file, target);
      } catch (NoSuchFileException e) {
        // Replaced while we walked (a reference updated by rename): the walk's newer name is copied instead.
      }
    }
  }

  private static void archive(Manifest manifest, Map<String, Path> entries, Path temp) throws IOException {
    try (OutputStream file = Files.newOutputStream(temp);
        GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      byte[] text = manifest.toJson().getBytes(StandardCharsets.UTF_8);
      tar.putArchiveEntry(entry(Manifest.NAME, text.length, manifest.created()));
      tar.write(text);
      tar.closeArchiveEntry();
      for (Map.Entry<String, Path> entry : entries.entrySet()) {
        tar.putArchiveEntry(entry(entry.getKey(), Files.size(entry.getValue()), manifest.created()));
        Files.copy(entry.getValue(), tar);
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
    try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static TarArchiveEntry entry(String name, long size, Instant at) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(size);
    entry.setMode(0100600);
    entry.setModTime(at.toEpochMilli());
    return entry;
  }

  static void createPrivateFolder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      try {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException e) {
        // No POSIX modes here: the folder keeps what its parent gives.
      }
    }
  }
}
