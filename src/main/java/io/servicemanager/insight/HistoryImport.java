package io.servicemanager.insight;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Brings the operation history of the JSON Lines file ({@code history.jsonl} and its rotated
 * {@code history.jsonl.1} … {@code .N}, .1 the newest) into the database, oldest first, in one
 * transaction. Idempotent: each record's key is the SHA-256 of its canonical JSON, unique in the
 * table, so running it again (even after a rotation renamed the files) imports nothing twice.
 * Lines a crash tore, or that are not operation records, are skipped and counted. Each run is
 * recorded in the {@code imports} table, a row per file.
 */
public final class HistoryImport {
  /**
   * What a run did: lines read, records new to the database, records already there, lines skipped,
   * and records older than the retention keeps (left out, so the retention does not delete them only
   * for the next start to bring them back).
   */
  public record Report(int files, long lines, long imported, long duplicates, long torn, long expired) {
    public Report(int files, long lines, long imported, long duplicates, long torn) {
      this(files, lines, imported, duplicates, torn, 0);
    }
  }

  private HistoryImport() {}

  /** Imports {@code historyFile} and its rotated files; a missing file imports nothing. */
  public static Future<Report> run(InsightStore store, Path historyFile) {
    return run(store, historyFile, Instant.EPOCH.minusMillis(Long.MAX_VALUE / 2));
  }

  /** {@link #run(InsightStore, Path)}, leaving out records from before {@code notBefore}. */
  public static Future<Report> run(InsightStore store, Path historyFile, Instant notBefore) {
    return store.write(c -> importFiles(c, files(historyFile.toAbsolutePath().normalize()), System.currentTimeMillis(),
        notBefore.toEpochMilli()));
  }

  /** What {@link #run(InsightStore, Path, Instant)} would do, read without writing anything. */
  public static Future<Report> preview(InsightStore store, Path historyFile, Instant notBefore) {
    return store.read(c -> {
      Set<String> seen = new HashSet<>();
      return count(files(historyFile.toAbsolutePath().normalize()), notBefore.toEpochMilli(),
          (row, key) -> seen.add(key) && !OperationStore.hasImportKey(c, key));
    });
  }

  /** What a run would do into a database that does not exist yet (blocking): every record is new. */
  public static Report preview(Path historyFile, Instant notBefore) throws IOException {
    Set<String> seen = new HashSet<>();
    try {
      return count(files(historyFile.toAbsolutePath().normalize()), notBefore.toEpochMilli(), (row, key) -> seen.add(key));
    } catch (SQLException e) {
      throw new IllegalStateException("no database was asked", e);
    }
  }

  /** Whether a record is new to the database: the import inserts it, a preview only looks. */
  private interface Sink {
    boolean add(OperationRow row, String key) throws SQLException;
  }

  private static Report count(List<Path> files, long notBefore, Sink sink) throws IOException, SQLException {
    long[] total = new long[5];
    for (Path file : files) {
      long[] counts = readFile(file, notBefore, sink);
      for (int i = 0; i < total.length; i++) {
        total[i] += counts[i];
      }
    }
    return new Report(files.size(), total[0], total[1], total[2], total[3], total[4]);
  }

  /** The rotated files, oldest (highest number) first, then the current one; only those that exist. */
  static List<Path> files(Path file) throws IOException {
    String prefix = file.getFileName() + ".";
    TreeMap<Integer, Path> rotated = new TreeMap<>((a, b) -> Integer.compare(b, a));
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(file.getParent(), p -> p.getFileName().toString().startsWith(prefix))) {
      for (Path p : entries) {
        String suffix = p.getFileName().toString().substring(prefix.length());
        if (suffix.matches("[1-9][0-9]{0,8}")) {
          rotated.put(Integer.parseInt(suffix), p);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<Path> files = new ArrayList<>(rotated.values());
    if (Files.exists(file)) {
      files.add(file);
    }
    return files;
  }

  private static Report importFiles(Connection c, List<Path> files, long now, long notBefore)
      throws IOException, SQLException {
    long lines = 0;
    long imported = 0;
    long duplicates = 0;
    long torn = 0;
    long expired = 0;
    for (Path file : files) {
      long[] counts = readFile(file, notBefore, (row, key) -> OperationStore.insert(c, row, key)); // lines, imported, duplicates, torn, expired
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO imports (at, file, lines, imported, duplicates, torn) VALUES (?, ?, ?, ?, ?, ?)")) {
        s.setLong(1, now);
        s.setString(2, file.toString());
        for (int i = 0; i < 4; i++) {
          s.setLong(3 + i, counts[i]);
        }
        s.executeUpdate();
      }
      lines += counts[0];
      imported += counts[1];
      duplicates += counts[2];
      torn += counts[3];
      expired += counts[4];
    }
    return new Report(files.size(), lines, imported, duplicates, torn, expired);
  }

  private static long[] readFile(Path file, long notBefore, Sink sink) throws IOException, SQLException {
    long[] counts = new long[5];
    // Bytes that are not UTF-8 become U+FFFD: such a line then fails as JSON and counts as torn.
    var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        counts[0]++;
        OperationRow row = parse(line);
        if (row == null) {
          counts[3]++;
        } else if (row.at() < notBefore) {
          counts[4]++;
        } else if (sink.add(row, key(row))) {
          counts[1]++;
        } else {
          counts[2]++;
        }
      }
    }
    return counts;
  }

  private static OperationRow parse(String line) {
    try {
      return OperationRow.of(new JsonObject(line));
    } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
      return null;
    }
  }

  private static String key(OperationRow row) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(row.toJson().encode().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
