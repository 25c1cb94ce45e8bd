package io.servicemanager.backup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks a backup into a private temporary folder, trusting nothing in it: only regular files
 * under the names a backup uses (no links, devices, absolute or {@code ../} paths), each within a
 * size bound, every one listed in the manifest with the checksum it has. Every problem found is
 * reported at once; on any, the folder is removed and nothing else was touched. Blocking.
 */
public final class BackupReader {
  /** What one archive may hold: an entry, all entries, how many. */
  public record Limits(long entryBytes, long totalBytes, int entries) {
    public static final Limits DEFAULT = new Limits(8L << 30, 16L << 30, 100_000);
  }

  /** A backup unpacked and checked against its manifest; closing removes the folder. */
  public record Unpacked(Path dir, Manifest manifest) implements AutoCloseable {
    /** The unpacked file for an archive name, or null when the backup does not hold it. */
    public Path file(String name) {
      return manifest.files().containsKey(name) ? dir.resolve(name) : null;
    }

    public Path history() {
      return manifest.files().keySet().stream().anyMatch(n -> n.startsWith(Installation.HISTORY))
          ? dir.resolve(Installation.HISTORY) : null;
    }

    @Override
    public void close() {
      Folders.deleteQuietly(dir);
    }
  }

  private static final Set<String> FILES = Set.of(Manifest.NAME, Installation.CONFIG, Installation.SERVICES,
      Installation.USERS, Installation.DATABASE);
  private static final Set<String> FOLDERS = Set.of("config", "insight", "config-history");
  private static final int MANIFEST_BYTES = 16 << 20;

  private final Limits limits;

  public BackupReader(Limits limits) {
    this.limits = limits;
  }

  /** @throws BackupException with every problem found; nothing is left behind */
  public Unpacked unpack(Path archive) {
    if (!Files.isRegularFile(archive)) {
      throw new BackupException(List.of(archive + ": no such file"));
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("service-manager-restore");
    } catch (IOException e) {
      throw new BackupException("cannot make a temporary folder to unpack " + archive + " into: " + e, e);
    }
    try {
      return new Unpacked(dir, read(archive, dir));
    } catch (RuntimeException e) {
      Folders.deleteQuietly(dir);
      throw e;
    }
  }

  private Manifest read(Path archive, Path dir) {
    List<String> errors = new ArrayList<>();
    Map<String, Manifest.Sum> found = new LinkedHashMap<>();
    String manifestText = null;
    long total = 0;
    int count = 0;
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive))) {
      file.mark(2);
      if (!GzipCompressorInputStream.matches(file.readNBytes(2), 2)) {
        throw new BackupException(List.of(archive + " is not a gzip-compressed tar archive: not a Service Manager backup"));
      }
      file.reset();
      try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
          if (++count > limits.entries()) {
            throw new BackupException(List.of(archive + " holds more than " + limits.entries() + " entries: not a Service Manager backup"));
          }
          String name = entry.getName();
          String problem = problem(entry, name);
          if (problem != null) {
            errors.add(problem);
            continue;
          }
          if (entry.isDirectory()) {
            continue;
          }
          if (found.containsKey(name) || (name.equals(Manifest.NAME) && manifestText != null)) {
            errors.add("entry " + name + " appears twice");
            continue;
          }
          total += entry.getSize();
          if (total > limits.totalBytes()) {
            throw new BackupException(List.of(archive + " unpacks to more than " + limits.totalBytes()
                + " bytes, the most a backup may hold"));
          }
          if (name.equals(Manifest.NAME)) {
            manifestText = new String(tar.readNBytes(MANIFEST_BYTES), StandardCharsets.UTF_8);
          } else {
            found.put(name, extract(tar, dir, name));
          }
        }
      }
    } catch (IOException e) {
      throw new BackupException(List.of(archive + " is damaged or truncated (" + e.getMessage() + "): nothing was restored"));
    }
    if (manifestText == null) {
      errors.add(archive + " has no " + Manifest.NAME + ": not a Service Manager backup");
      throw new BackupException(errors);
    }
    Manifest manifest = Manifest.parse(manifestText);
    manifest.files().forEach((name, sum) -> {
      Manifest.Sum actual = found.get(name);
      if (actual == null) {
        errors.add(name + " is listed in the manifest but missing from the archive");
      } else if (!actual.equals(sum)) {
        errors.add(name + " does not match its checksum in the manifest: the archive is damaged or was altered");
      }
    });
    found.keySet().stream().filter(name -> !manifest.files().containsKey(name))
        .forEach(name -> errors.add(name + " is not listed in the manifest: the archive was altered"));
    if (!errors.isEmpty()) {
      throw new BackupException(errors);
    }
    return manifest;
  }

  /** Why an entry may not be unpacked, or null. Only regular files (and folders) under a backup's names. */
  private String problem(TarArchiveEntry entry, String name) {
    if (entry.isSymbolicLink() || entry.isLink()) {
      return "entry " + name + " is a " + (entry.isLink() ? "hard" : "symbolic") + " link (to " + entry.getLinkName()
          + "): a backup holds regular files only";
    }
    if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
      return "entry " + name + " is a device or pipe: a backup holds regular files only";
    }
    byte flag = entry.getLinkFlag();
    if (!entry.isDirectory() && flag != TarConstants.LF_NORMAL && flag != TarConstants.LF_OLDNORM) {
      return "entry " + name + " is of tar type '" + (char) flag + "': a backup holds regular files only";
    }
    if (name.startsWith("/") || name.contains("\\") || name.isEmpty()) {
      return "entry " + name + " has an absolute or unusual path: a backup's paths are relative";
    }
    String trimmed = entry.isDirectory() && name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    for (String part : trimmed.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return "entry " + name + " has a path that leaves or wanders its folder ('" + part + "'): refused";
      }
    }
    boolean known = entry.isDirectory()
        ? FOLDERS.contains(trimmed) || trimmed.startsWith(Installation.HISTORY)
        : FILES.contains(name) || (name.startsWith(Installation.HISTORY) && name.length() > Installation.HISTORY.length());
    if (!known) {
      return "unexpected entry " + name + ": not a Service Manager backup";
    }
    if (entry.getSize() > limits.entryBytes()) {
      return "entry " + name + " is " + entry.getSize() + " bytes, more than the " + limits.entryBytes()
          + " a backup entry may hold";
    }
    return null;
  }

  /** Writes the entry under {@code dir}, hashing what it writes. */
  private static Manifest.Sum extract(TarArchiveInputStream tar, Path dir, String name) throws IOException {
    Path target = dir.resolve(name).normalize();
    if (!target.startsWith(dir)) {
      throw new IOException("entry " + name + " leaves the folder");
    }
    Files.createDirectories(target.getParent());
    MessageDigest digest = Checksums.sha256();
    long size = 0;
    byte[] buffer = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
      for (int n; (n = tar.read(buffer)) > 0; size += n) {
        digest.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    }
    return new Manifest.Sum(HexFormat.of().formatHex(digest.digest()), size);
  }
}
