package io.servicemanager.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PasswordHashTest {
  private static final String HASH = PasswordHash.hash("correct horse".toCharArray());

  @Test
  @DisplayName("A hash is Argon2id in PHC form with OWASP's parameters and a fresh salt each time")
  void phcFormat() {
    assertThat(HASH).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(PasswordHash.hash("correct horse".toCharArray())).isNotEqualTo(HASH);
    assertThat(PasswordHash.problem(HASH)).isNull();
  }

  @Test
  @DisplayName("Only the right password verifies; a near miss, an empty one or another case does not")
  void verifies() {
    assertThat(PasswordHash.verify(HASH, "correct horse".toCharArray())).isTrue();
    assertThat(PasswordHash.verify(HASH, "correct horse ".toCharArray())).isFalse();
    assertThat(PasswordHash.verify(HASH, "Correct horse".toCharArray())).isFalse();
    assertThat(PasswordHash.verify(HASH, new char[0])).isFalse();
  }

  @Test
  @DisplayName("A non-ASCII password round-trips as UTF-8")
  void unicode() {
    String hash = PasswordHash.hash("pässwörd-日本".toCharArray());
    assertThat(PasswordHash.verify(hash, "pässwörd-日本".toCharArray())).isTrue();
    assertThat(PasswordHash.verify(hash, "passwörd-日本".toCharArray())).isFalse();
  }

  @Test
  @DisplayName("Hashes from another Argon2id implementation verify (RFC 9106 test-style vector made by the reference CLI)")
  void interoperates() {
    // echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -e   (the reference implementation's CLI)
    String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    assertThat(PasswordHash.verify(reference, "password".toCharArray())).isTrue();
  }

  @Test
  @DisplayName("Anything but a sane Argon2id hash is refused: other algorithms, plain text, absurd costs")
  void problems() {
    for (String bad : new String[] {"secret", "$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$2y$10$abcdefghijklmnopqrstuu", HASH.replace("m=19456", "m=99999999"), HASH.replace("t=2", "t=0"),
        HASH.substring(0, HASH.length() - 30)}) {
      assertThat(PasswordHash.problem(bad)).as(bad).isNotNull();
      assertThat(PasswordHash.verify(bad, "secret".toCharArray())).as(bad).isFalse();
    }
  }

  @Test
  @DisplayName("Checking a user who does not exist costs about as much as a wrong password")
  void nobodyCostsTheSame() {
    PasswordHash.verify(HASH, "warm-up".toCharArray());
    // Interleaved, the median of eleven each: bursts of load on a shared machine hit both kinds alike
    // and move neither median much.
    long[] reals = new long[11];
    long[] nobodies = new long[11];
    // Each check makes 19 MiB of garbage: the collector runs outside the timed calls, and the two
    // kinds take turns going first, so that neither pays for the other's garbage.
    for (int i = 0; i < reals.length; i++) {
      if (i % 2 == 0) {
        reals[i] = time(() -> PasswordHash.verify(HASH, "wrong".toCharArray()));
        nobodies[i] = time(() -> PasswordHash.verifyNobody("wrong".toCharArray()));
      } else {
        nobodies[i] = time(() -> PasswordHash.verifyNobody("wrong".toCharArray()));
        reals[i] = time(() -> PasswordHash.verify(HASH, "wrong".toCharArray()));
      }
    }
    long real = median(reals);
    long nobody = median(nobodies);
    assertThat(PasswordHash.verifyNobody("correct horse".toCharArray())).isFalse();
    assertThat((double) nobody).as("nobody %d ms vs real %d ms", nobody / 1_000_000, real / 1_000_000)
        .isBetween(real * 0.5, real * 2.0);
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static long time(Runnable r) {
    System.gc();
    long start = System.nanoTime();
    r.run();
    return System.nanoTime() - start;
  }
}
