package io.servicemanager.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionCookieTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final Function<String, Optional<String>> HASHES =
      user -> user.equals("alice") ? Optional.of("hash-1") : Optional.empty();

  private static SessionCookie at(Instant when) {
    return new SessionCookie(KEY, Clock.fixed(when, ZoneOffset.UTC));
  }

  @Test
  @DisplayName("A session is good for 12 hours and then refused")
  void twelveHours() {
    String value = at(NOW).issue("alice", "hash-1");
    assertThat(at(NOW).verify(value, HASHES)).hasValueSatisfying(s -> {
      assertThat(s.user()).isEqualTo("alice");
      assertThat(s.expiresEpochSeconds()).isEqualTo(NOW.plus(Duration.ofHours(12)).getEpochSecond());
    });
    assertThat(at(NOW.plus(Duration.ofHours(12)).minusSeconds(1)).verify(value, HASHES)).isPresent();
    assertThat(at(NOW.plus(Duration.ofHours(12))).verify(value, HASHES)).isEmpty();
  }

  @Test
  @DisplayName("A changed password or a removed user ends the session")
  void boundToThePassword() {
    String value = at(NOW).issue("alice", "hash-1");
    assertThat(at(NOW).verify(value, user -> Optional.of("hash-2"))).isEmpty();
    assertThat(at(NOW).verify(value, user -> Optional.empty())).isEmpty();
  }

  @Test
  @DisplayName("Any change to the payload or the signature, or another key, is refused")
  void tamperProof() {
    String value = at(NOW).issue("alice", "hash-1");
    int dot = value.indexOf('.');
    String payload = new String(Base64.getUrlDecoder().decode(value.substring(0, dot)));
    String longer = payload.replaceFirst("\\|(\\d+)\\|", "|9$1|");
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(longer.getBytes()) + value.substring(dot);
    assertThat(at(NOW).verify(forged, HASHES)).as("a later expiry").isEmpty();
    char last = value.charAt(value.length() - 1);
    assertThat(at(NOW).verify(value.substring(0, value.length() - 1) + (last == 'A' ? 'B' : 'A'), HASHES)).isEmpty();
    assertThat(new SessionCookie("another key, just as long as it..".getBytes(), Clock.fixed(NOW, ZoneOffset.UTC))
        .verify(value, HASHES)).isEmpty();
    for (String junk : new String[] {null, "", ".", "abc", "abc.def", "%%%.%%%", "x".repeat(5000)}) {
      assertThat(at(NOW).verify(junk, HASHES)).as(String.valueOf(junk)).isEmpty();
    }
  }
}
