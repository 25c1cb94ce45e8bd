package io.servicemanager.web;

import io.vertx.core.http.MimeMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The dashboard's files, read once at start, each also under a content-hashed name
 * ({@code app.js} → {@code app.3f9a2b1c04.js}) that the pages name instead: index.html's
 * {@code href}/{@code src}, the modules' {@code import} specifiers, the manifest's icons and
 * CSS {@code url()} are rewritten to the hashed names. So a hashed name always means the same
 * bytes and may be cached for a year, and no build step is needed: a fresh checkout serves as is.
 *
 * <p>A file's version covers everything it reaches through those references (its import graph,
 * cycles included), so a module whose dependency changed gets a new name too, as its rewritten
 * imports did. index.html and manifest.webmanifest are entry points a browser asks for by their
 * own names; they keep them and are revalidated on each use.
 */
final class WebAssets {
  /** Entry points: asked for by name (the address bar, a phone's installed app), never hashed. */
  static final Set<String> ENTRY_POINTS = Set.of("index.html", "manifest.webmanifest");
  static final String INDEX = "index.html";
  private static final int VERSION_LENGTH = 10;
  /** {@code name.0123456789.ext}: a hashed name, current or not. */
  static final Pattern HASHED = Pattern.compile("^(.*)\\.[0-9a-f]{" + VERSION_LENGTH + "}(\\.[A-Za-z0-9]+)$");

  // References by kind of file. Only targets that are files of the webroot are rewritten.
  private static final Pattern HTML_REF = Pattern.compile("(\\s(?:href|src)=\")([^\"]+)(\")");
  private static final Pattern JS_REF = Pattern.compile(
      "(\\b(?:from|import)\\s*\\(?\\s*)(['\"])(\\.{1,2}/[^'\"\\s]+)(\\2)");
  private static final Pattern MANIFEST_REF = Pattern.compile("(\"src\"\\s*:\\s*\")([^\"]+)(\")");
  private static final Pattern CSS_REF = Pattern.compile("(url\\(\\s*['\"]?)([^'\")\\s]+)(['\"]?\\s*\\))");

  /** One file as served: its bytes, type, ETag, and whether its name is a hashed one. */
  record Asset(String name, byte[] body, String contentType, String etag, String version, boolean hashedName) {}

  private final Map<String, Asset> byName;
  private final Map<String, String> hashedNames;
  private final Instant loaded = Instant.now().truncatedTo(ChronoUnit.SECONDS); // HTTP dates have seconds

  private WebAssets(Map<String, Asset> byName, Map<String, String> hashedNames) {
    this.byName = byName;
    this.hashedNames = hashedNames;
  }

  /** When the files were read: what they answer as Last-Modified. */
  Instant loaded() {
    return loaded;
  }

  /** Reads a webroot folder, else the jar's copy (resource folder of that name); blocking. */
  static WebAssets load(String webroot) {
    Path dir = Path.of(webroot);
    if (Files.isDirectory(dir)) {
      return of(readTree(dir));
    }
    URL index = WebAssets.class.getClassLoader().getResource(webroot + "/" + INDEX);
    if (index == null) {
      throw new IllegalStateException("no folder " + dir.toAbsolutePath() + " and no " + webroot + " in the jar");
    }
    try {
      URI uri = index.toURI();
      return of("jar".equals(uri.getScheme()) ? readJar(uri, webroot) : readTree(Path.of(uri).getParent()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(index.toString(), e);
    }
  }

  /** From file names (relative, '/'-separated) and their bytes; pure. */
  static WebAssets of(Map<String, byte[]> files) {
    Map<String, Set<String>> refs = new HashMap<>();
    files.forEach((name, body) -> refs.put(name, references(name, body, files.keySet())));
    Map<String, String> versions = new HashMap<>();
    files.keySet().forEach(name -> versions.put(name, version(name, files, refs)));
    Map<String, String> hashedNames = new TreeMap<>();
    versions.forEach((name, version) -> {
      if (!ENTRY_POINTS.contains(name)) {
        hashedNames.put(name, hashedName(name, version));
      }
    });
    Map<String, Asset> byName = new HashMap<>();
    files.forEach((name, raw) -> {
      byte[] body = rewrite(name, raw, files.keySet(), hashedNames::get);
      String type = contentType(name);
      String etag = '"' + hex(sha256(body)).substring(0, 2 * VERSION_LENGTH) + '"';
      String version = versions.get(name);
      byName.put(name, new Asset(name, body, type, etag, version, false));
      String hashed = hashedNames.get(name);
      if (hashed != null) {
        byName.put(hashed, new Asset(hashed, body, type, etag, version, true));
      }
    });
    return new WebAssets(Map.copyOf(byName), Map.copyOf(hashedNames));
  }

  /** The file a request path names ({@code /} is index.html), or null. */
  Asset find(String path) {
    String name = path.startsWith("/") ? path.substring(1) : path;
    if (name.isEmpty() || name.endsWith("/")) {
      name += INDEX;
    }
    return byName.get(name);
  }

  /** A hashed name that is not (or no longer) one of ours, for a file we do have: an old version. */
  boolean isStale(String path) {
    String name = path.startsWith("/") ? path.substring(1) : path;
    Matcher m = HASHED.matcher(name);
    return !byName.containsKey(name) && m.matches() && hashedNames.containsKey(m.group(1) + m.group(2));
  }

  /** The hashed name of a file ({@code app.js} → {@code app.3f9a2b1c04.js}), or null for an entry point. */
  String hashedName(String name) {
    return hashedNames.get(name);
  }

  static String hashedName(String name, String version) {
    int slash = name.lastIndexOf('/');
    int dot = name.lastIndexOf('.');
    return dot > slash + 1 ? name.substring(0, dot) + "." + version + name.substring(dot) : name + "." + version;
  }

  private static Pattern referencePattern(String name) {
    if (name.endsWith(".html")) {
      return HTML_REF;
    } else if (name.endsWith(".js") || name.endsWith(".mjs")) {
      return JS_REF;
    } else if (name.endsWith(".webmanifest")) {
      return MANIFEST_REF;
    } else if (name.endsWith(".css")) {
      return CSS_REF;
    }
    return null;
  }

  /** The webroot file {@code ref} names from {@code from}, or null (elsewhere, a query, a scheme). */
  static String resolve(String from, String ref, Set<String> names) {
    if (ref.contains(":") || ref.contains("?") || ref.contains("#") || ref.startsWith("//")) {
      return null;
    }
    Path base = from.contains("/") ? Path.of(from).getParent() : Path.of("");
    String target = ref.startsWith("/") ? ref.substring(1) : base.resolve(ref).normalize().toString();
    return names.contains(target) ? target : null;
  }

  private static Set<String> references(String name, byte[] body, Set<String> names) {
    Pattern pattern = referencePattern(name);
    Set<String> found = new LinkedHashSet<>();
    if (pattern != null) {
      Matcher m = pattern.matcher(new String(body, StandardCharsets.UTF_8));
      while (m.find()) {
        String target = resolve(name, m.group(pattern == JS_REF ? 3 : 2), names);
        if (target != null && !target.equals(name)) {
          found.add(target);
        }
      }
    }
    return found;
  }

  /** Rewrites each reference to a webroot file into its hashed name, keeping the reference's form. */
  static byte[] rewrite(String name, byte[] raw, Set<String> names, Function<String, String> hashed) {
    Pattern pattern = referencePattern(name);
    if (pattern == null) {
      return raw;
    }
    int group = pattern == JS_REF ? 3 : 2;
    Matcher m = pattern.matcher(new String(raw, StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String ref = m.group(group);
      String target = resolve(name, ref, names);
      String replaced = ref;
      if (target != null && hashed.apply(target) != null) {
        String file = target.substring(target.lastIndexOf('/') + 1);
        String hashedFile = hashed.apply(target).substring(target.lastIndexOf('/') + 1);
        replaced = ref.substring(0, ref.length() - file.length()) + hashedFile;
      }
      StringBuilder whole = new StringBuilder();
      for (int g = 1; g <= m.groupCount(); g++) {
        whole.append(g == group ? replaced : m.group(g));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(whole.toString()));
    }
    m.appendTail(out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The hash of a file together with every file it reaches: its served bytes depend on no other. */
  private static String version(String name, Map<String, byte[]> files, Map<String, Set<String>> refs) {
    Set<String> closure = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(name));
    while (!todo.isEmpty()) {
      String next = todo.pop();
      if (closure.add(next)) {
        todo.addAll(refs.getOrDefault(next, Set.of()));
      }
    }
    MessageDigest digest = digest();
    digest.update(name.getBytes(StandardCharsets.UTF_8)); // where the closure starts
    for (String file : closure) {
      digest.update((file + "\0" + files.get(file).length + "\0").getBytes(StandardCharsets.UTF_8));
      digest.update(files.get(file));
    }
    return hex(digest.digest()).substring(0, VERSION_LENGTH);
  }

  static String contentType(String name) {
    if (name.endsWith(".webmanifest")) {
      return "application/manifest+json"; // Vert.x knows no type for it; a browser installs the app only with this one
    }
    String type = name.endsWith(".js") || name.endsWith(".mjs") ? "text/javascript" : MimeMapping.mimeTypeForFilename(name);
    if (type == null) {
      return "application/octet-stream";
    }
    boolean text = type.startsWith("text/") || type.endsWith("+xml") || type.endsWith("json");
    return text ? type + ";charset=UTF-8" : type;
  }

  private static Map<String, byte[]> readTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      Map<String, byte[]> files = new HashMap<>();
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + dir, e);
    }
  }

  /** Synchronized: HTTP instances start in parallel, and a jar's file system may be open only once. */
  private static synchronized Map<String, byte[]> readJar(URI indexUri, String webroot) {
    URI jar = URI.create(indexUri.toString().substring(0, indexUri.toString().indexOf("!/")));
    try (FileSystem fs = FileSystems.newFileSystem(jar, Map.of())) {
      return readTree(fs.getPath(webroot));
    } catch (FileSystemAlreadyExistsException e) {
      return readTree(FileSystems.getFileSystem(jar).getPath(webroot));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + jar, e);
    }
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every Java has it
    }
  }

  private static byte[] sha256(byte[] bytes) {
    return digest().digest(bytes);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
