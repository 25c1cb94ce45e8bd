package io.servicemanager.confighistory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The configuration history: a bare git repository written with JGit, one commit per accepted
 * version, its tree the three files of {@link ConfigFiles} at the root. Bare, so no second copy of
 * the files lies in a working tree; {@code git --git-dir DIR log -p} reads it too.
 *
 * <p>Blocking, and not safe for two writers: the server is the only one (through one ordered
 * worker); the commands only read. Every JGit failure becomes a {@link HistoryException} naming the
 * directory.
 */
public final class ConfigRepository implements AutoCloseable {
  private static final PersonIdent AUTHOR_NAME = new PersonIdent("service-manager", "service-manager@localhost");
  private static final int SHORT_ID = 7;

  private final Path dir;
  private final Repository repository;

  private ConfigRepository(Path dir, Repository repository) {
    this.dir = dir;
    this.repository = repository;
  }

  /** An existing history (the commands). */
  public static ConfigRepository open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new HistoryException("no configuration history at " + dir + " yet: the manager starts one when it first runs");
    }
    try {
      Repository repository = new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
      ConfigRepository history = new ConfigRepository(dir, repository);
      history.head(); // a damaged HEAD shows now, not halfway through a command
      return history;
    } catch (RepositoryNotFoundException e) {
      throw damaged(dir, "not a git repository", e);
    } catch (IOException | RuntimeException e) {
      throw e instanceof HistoryException h ? h : damaged(dir, e.getMessage(), e);
    }
  }

  /** The history, made (mode 0700: it holds password hashes) when the directory is absent or empty (the server). */
  public static ConfigRepository openOrCreate(Path dir) {
    try {
      if (!Files.exists(dir) || isEmptyDirectory(dir)) {
        Files.createDirectories(dir);
        trySetPrivate(dir);
        Git.init().setBare(true).setGitDir(dir.toFile()).setInitialBranch("main").call().close();
      }
    } catch (IOException | GitAPIException e) {
      throw new HistoryException("cannot create the configuration history at " + dir + ": " + e.getMessage(), e);
    }
    ConfigRepository history = open(dir);
    history.log(); // every commit readable: a damaged history stops start-up instead of growing
    return history;
  }

  public Path dir() {
    return dir;
  }

  /**
   * Records a new version: the newest one with {@code changed} files replaced (a null text: the
   * file is absent). Nothing is recorded when the content is the same as the newest version's.
   *
   * @return the new version, or empty when nothing changed
   */
  public synchronized Optional<Version> record(Map<String, String> changed) {
    try {
      ObjectId head = head();
      Map<String, String> before = head == null ? Map.of() : files(head);
      Map<String, String> after = new LinkedHashMap<>(before);
      changed.forEach((name, text) -> {
        ConfigFiles.require(name);
        if (text == null) {
          after.remove(name);
        } else {
          after.put(name, text);
        }
      });
      if (head != null && after.equals(before)) {
        return Optional.empty();
      }
      String message = ChangeSummary.between(head == null ? null : before, after);
      ObjectId commit;
      try (ObjectInserter inserter = repository.newObjectInserter()) {
        TreeFormatter tree = new TreeFormatter();
        for (String name : ConfigFiles.NAMES) {
          String text = after.get(name);
          if (text != null) {
            tree.append(name, FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB, text.getBytes(StandardCharsets.UTF_8)));
          }
        }
        CommitBuilder builder = new CommitBuilder();
        builder.setTreeId(inserter.insert(tree));
        if (head != null) {
          builder.setParentId(head);
        }
        PersonIdent who = new PersonIdent(AUTHOR_NAME, Instant.now());
        builder.setAuthor(who);
        builder.setCommitter(who);
        builder.setMessage(message + "\n");
        commit = inserter.insert(builder);
        inserter.flush();
      }
      RefUpdate update = repository.updateRef(Constants.HEAD);
      update.setNewObjectId(commit);
      update.setExpectedOldObjectId(head == null ? ObjectId.zeroId() : head);
      update.setRefLogMessage("commit: " + message, false);
      RefUpdate.Result result = update.update();
      if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FAST_FORWARD) {
        throw new HistoryException("cannot record a version in " + dir + ": the branch did not move (" + result + ")");
      }
      return Optional.of(version(commit));
    } catch (IOException e) {
      throw damaged(dir, e.getMessage(), e);
    }
  }

  /** Every version, newest first. */
  public List<Version> log() {
    List<Version> versions = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repository)) {
      ObjectId head = head();
      if (head == null) {
        return versions;
      }
      walk.markStart(walk.parseCommit(head));
      for (RevCommit commit : walk) {
        versions.add(version(commit));
      }
      return versions;
    } catch (IOException e) {
      throw damaged(dir, e.getMessage(), e);
    }
  }

  /** The newest version, if any. */
  public Optional<Version> newest() {
    try {
      ObjectId head = head();
      return head == null ? Optional.empty() : Optional.of(version(head));
    } catch (IOException e) {
      throw damaged(dir, e.getMessage(), e);
    }
  }

  /**
   * The commit {@code rev} names: a commit id of 4 to 40 hex digits (as {@code config log} prints
   * them), {@code HEAD} or {@code HEAD~N}.
   */
  public Version resolve(String rev) {
    if (rev == null || !(rev.matches("[0-9a-fA-F]{4,40}") || rev.matches("HEAD(~[0-9]{1,6})?"))) {
      throw new HistoryException("not a revision: " + String.valueOf(rev)
          + " (give a version's REV as `config log` prints it, HEAD or HEAD~N)");
    }
    try {
      ObjectId id = repository.resolve(rev + "^{commit}");
      if (id == null) {
        throw new HistoryException("unknown revision " + rev + ": `config log` lists the versions");
      }
      return version(id);
    } catch (AmbiguousObjectException e) {
      throw new HistoryException("revision " + rev + " is ambiguous: give more digits", e);
    } catch (IOException e) {
      throw damaged(dir, e.getMessage(), e);
    } catch (org.eclipse.jgit.errors.RevisionSyntaxException e) {
      throw new HistoryException("not a revision: " + rev, e);
    }
  }

  /** The files of version {@code rev}: name → text, in {@link ConfigFiles#NAMES} order; an absent file is missing. */
  public Map<String, String> files(Version version) {
    try {
      return files(ObjectId.fromString(version.id()));
    } catch (IOException e) {
      throw damaged(dir, e.getMessage(), e);
    }
  }

  /** The version before {@code version}, if any. */
  public Optional<Version> parent(Version version) {
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(version.id()));
      return commit.getParentCount() == 0 ? Optional.empty() : Optional.of(version(commit.getParent(0)));
    } catch (IOException e) {
      throw damaged(dir, e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    repository.close();
  }

  private Map<String, String> files(ObjectId commitId) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit commit = walk.parseCommit(commitId);
      for (String name : ConfigFiles.NAMES) {
        try (TreeWalk tree = TreeWalk.forPath(repository, name, commit.getTree())) {
          if (tree != null) {
            files.put(name, new String(repository.open(tree.getObjectId(0), Constants.OBJ_BLOB).getBytes(), StandardCharsets.UTF_8));
          }
        }
      }
    }
    return files;
  }

  /** The newest commit, or null before the first; a branch file that names no commit is damage, not a new start. */
  private ObjectId head() throws IOException {
    try {
      ObjectId id = repository.resolve(Constants.HEAD);
      if (id == null) {
        Ref head = repository.exactRef(Constants.HEAD);
        String branch = head != null && head.isSymbolic() ? head.getTarget().getName() : Constants.HEAD;
        if (head == null || Files.exists(dir.resolve(branch))) {
          throw damaged(dir, branch + " names no commit", null);
        }
      }
      return id;
    } catch (RuntimeException e) {
      throw e instanceof HistoryException h ? h : damaged(dir, e.getMessage(), e);
    }
  }

  private Version version(ObjectId id) throws IOException {
    try (RevWalk walk = new RevWalk(repository); ObjectReader reader = repository.newObjectReader()) {
      RevCommit commit = walk.parseCommit(id);
      return new Version(reader.abbreviate(commit, SHORT_ID).name(), commit.name(),
          commit.getCommitterIdent().getWhenAsInstant(), commit.getFullMessage().strip());
    }
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  private static void trySetPrivate(Path dir) {
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException | UnsupportedOperationException e) {
      // A file system without POSIX modes: the directory keeps what its parent gives.
    }
  }

  private static HistoryException damaged(Path dir, String reason, Throwable cause) {
    return new HistoryException("the configuration history at " + dir + " is damaged (" + reason
        + "); nothing was changed. Move it away to let the manager start a new one.", cause);
  }
}
