package io.servicemanager.history;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history file and its rotated predecessors ({@code history.jsonl.1} is the newest of those).
 * Blocking, and never called on an event loop. Appending, rotating and taking a {@link #snapshot}
 * hold one monitor, so a reader never sees half a record or a rotation in progress.
 */
final class HistoryFiles implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryFiles.class);
  private static final Set<OpenOption> APPEND =
      Set.of(StandardOpenOption.APPEND, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  /** One file as a reader sees it: open, and only as long as it was when the snapshot was taken. */
  record Segment(Path path, FileChannel channel, long length, Object identity) implements Closeable {
    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private final Path file;
  private final Path dir;
  private final long maxBytes;
  private final int keep;
  private FileChannel channel;
  private long size;
  /** The file ends without '\n' (torn by a crash or a failed write): start the next record on a new line. */
  private boolean tornTail;

  HistoryFiles(Path file, long maxBytes, int keep) {
    this.file = file.toAbsolutePath().normalize();
    this.dir = this.file.getParent();
    this.maxBytes = maxBytes;
    this.keep = keep;
  }

  Path file() {
    return file;
  }

  /** Creates the directory and the file when missing and learns how the file ends. */
  synchronized void open() throws IOException {
    if (channel != null) {
      return;
    }
    Files.createDirectories(dir, attributes("rwx------"));
    boolean created = !Files.exists(file);
    channel = FileChannel.open(file, APPEND, attributes("rw-------"));
    size = channel.size();
    tornTail = size > 0 && lastByte() != '\n';
    if (tornTail) {
      LOG.warn("{} ends in a partial line (a write cut short by a crash); readers skip it and the next record "
          + "starts on a new line", file);
    }
    if (created) {
      syncDirectory();
    }
  }

  /** Appends whole lines (each ending in '\n'), rotating first if they would not fit, and forces them to disk. */
  synchronized void append(byte[] line) throws IOException {
    open();
    int prefix = tornTail ? 1 : 0;
    if (size > 0 && size + prefix + line.length > maxBytes) {
      rotate();
      prefix = 0;
    }
    ByteBuffer buffer = ByteBuffer.allocate(prefix + line.length);
    if (prefix == 1) {
      buffer.put((byte) '\n');
    }
    buffer.put(line).flip();
    long before = size;
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    } catch (IOException e) {
      abandon(before);
      throw e;
    }
    size = before + buffer.limit();
    tornTail = false;
  }

  /**
   * history.jsonl → .1 → .2 … → .keep; what falls off the end is deleted. The directory is synced
   * after the renames and the new file, so a crash leaves either the old or the new arrangement.
   */
  private void rotate() throws IOException {
    closeChannel();
    List<Integer> older = rotatedNumbers(); // highest first
    for (int n : older) {
      if (n >= keep) {
        Files.deleteIfExists(rotated(n)); // also leftovers of a larger keep
      } else {
        Files.move(rotated(n), rotated(n + 1), StandardCopyOption.ATOMIC_MOVE);
      }
    }
    if (keep > 0) {
      Files.move(file, rotated(1), StandardCopyOption.ATOMIC_MOVE);
    } else {
      Files.deleteIfExists(file);
    }
    channel = FileChannel.open(file, APPEND, attributes("rw-------"));
    size = 0;
    tornTail = false;
    syncDirectory();
    LOG.info("rotated {} at {} bytes; keeping {} older file(s)", file, maxBytes, keep);
  }

  /** Every file a reader needs, newest first, each open at its present length. */
  synchronized List<Segment> snapshot() throws IOException {
    List<Segment> segments = new ArrayList<>();
    try {
      List<Path> paths = new ArrayList<>(List.of(file));
      List<Integer> older = rotatedNumbers();
      for (int i = older.size() - 1; i >= 0; i--) {
        if (older.get(i) <= keep) {
          paths.add(rotated(older.get(i)));
        }
      }
      for (Path path : paths) {
        FileChannel reader;
        try {
          reader = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
          continue; // nothing written yet, or a crash in the middle of a rotation
        }
        Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        segments.add(new Segment(path, reader, reader.size(), key == null ? path : key));
      }
    } catch (IOException e) {
      for (Segment s : segments) {
        s.close();
      }
      throw e;
    }
    return segments;
  }

  @Override
  public synchronized void close() throws IOException {
    closeChannel();
  }

  Path rotated(int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }

  /** The numbers of the rotated files present, highest first. */
  private List<Integer> rotatedNumbers() throws IOException {
    String prefix = file.getFileName() + ".";
    List<Integer> numbers = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
      for (Path p : entries) {
        String suffix = p.getFileName().toString().substring(prefix.length());
        if (suffix.matches("[1-9][0-9]{0,8}")) {
          numbers.add(Integer.parseInt(suffix));
        }
      }
    } catch (NoSuchFileException e) {
      return numbers; // no directory yet: nothing was ever written
    }
    numbers.sort(Comparator.reverseOrder());
    return numbers;
  }

  /** After a failed write: cut what may have been half-written, and re-read the file's end next time. */
  private void abandon(long length) {
    try {
      channel.truncate(length);
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not cut {} back to {} bytes", file, length, e);
    }
    try {
      closeChannel();
    } catch (IOException e) {
      LOG.debug("could not close {}", file, e);
    }
  }

  private void closeChannel() throws IOException {
    FileChannel open = channel;
    channel = null;
    if (open != null) {
      open.close();
    }
  }

  private int lastByte() throws IOException {
    try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      return reader.read(one, size - 1) == 1 ? one.get(0) : '\n';
    }
  }

  /** Makes a created or renamed directory entry durable, which the file's own fsync does not. */
  private void syncDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      LOG.debug("cannot fsync directory {} on this platform", dir, e);
    }
  }

  private static FileAttribute<?>[] attributes(String permissions) {
    return POSIX
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
        : new FileAttribute<?>[0];
  }
}
