package io.servicemanager.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (RFC 9106, Bouncy Castle) in the PHC string format that other tools
 * read too: {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (base64 without padding).
 *
 * <p>Verification is deliberately slow (tens of milliseconds): callers run it off the event loop.
 */
public final class PasswordHash {
  /** OWASP's Argon2id baseline: 19 MiB, two passes, one lane. */
  static final int MEMORY_KIB = 19_456;
  static final int ITERATIONS = 2;
  static final int PARALLELISM = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,})\\$([A-Za-z0-9+/]{22,})");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

  /** Verified against when the user does not exist, so that costs as much as a wrong password. */
  private static final Parsed DUMMY = parse(hash("no user has this password".toCharArray())).orElseThrow();

  private record Parsed(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {}

  private PasswordHash() {}

  /** A new hash with a fresh random salt. */
  public static String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] hash = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
    return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
        + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  /** Null when {@code phc} is a hash this class can verify, else what is wrong with it. */
  public static String problem(String phc) {
    return parse(phc).isPresent() ? null
        : "must be an Argon2id hash as printed by `service-manager hash-password` ($argon2id$v=19$m=…,t=…,p=…$salt$hash)";
  }

  /** Constant-time comparison; a null or unusable {@code phc} costs the same and is false. */
  public static boolean verify(String phc, char[] password) {
    Optional<Parsed> parsed = phc == null ? Optional.empty() : parse(phc);
    Parsed p = parsed.orElse(DUMMY);
    byte[] actual = derive(password, p.salt, p.memoryKib, p.iterations, p.parallelism, p.hash.length);
    return MessageDigest.isEqual(actual, p.hash) && parsed.isPresent();
  }

  /** For a user who does not exist: the same work as {@link #verify}, always false. */
  public static boolean verifyNobody(char[] password) {
    verify(null, password);
    return false;
  }

  private static byte[] derive(char[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib)
        .withIterations(iterations)
        .withParallelism(parallelism)
        .withSalt(salt)
        .build());
    byte[] out = new byte[length];
    generator.generateBytes(new String(password).getBytes(StandardCharsets.UTF_8), out);
    return out;
  }

  private static Optional<Parsed> parse(String phc) {
    Matcher m = PHC.matcher(phc);
    if (!m.matches()) {
      return Optional.empty();
    }
    int memory = Integer.parseInt(m.group(1));
    int iterations = Integer.parseInt(m.group(2));
    int parallelism = Integer.parseInt(m.group(3));
    // Bounds keep a hostile or mistyped file from making each login take minutes or gigabytes.
    if (memory < 8 * parallelism || memory > 1_048_576 || iterations < 1 || iterations > 20
        || parallelism < 1 || parallelism > 16) {
      return Optional.empty();
    }
    try {
      byte[] salt = Base64.getDecoder().decode(m.group(4));
      byte[] hash = Base64.getDecoder().decode(m.group(5));
      if (salt.length < 8 || hash.length < 16) {
        return Optional.empty();
      }
      return Optional.of(new Parsed(memory, iterations, parallelism, salt, hash));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
