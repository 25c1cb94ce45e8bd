package io.servicemanager.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless sessions: the cookie carries the user, its expiry and a fingerprint of the user's
 * password hash, signed with HMAC-SHA256. Nothing is stored on the server; a changed password or a
 * removed user ends that user's sessions, a new key ends everyone's.
 *
 * <p>Value: {@code base64url(v1|user|expiresEpochSeconds|fingerprint) "." base64url(hmac)}.
 */
public final class SessionCookie {
  public static final String NAME = "sm_session";
  public static final Duration LIFETIME = Duration.ofHours(12);
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final byte[] key;
  private final Clock clock;

  public SessionCookie(byte[] key, Clock clock) {
    this.key = key.clone();
    this.clock = clock;
  }

  /** A signed session value for a user whose current password hash is {@code passwordHash}. */
  public String issue(String user, String passwordHash) {
    long expires = clock.instant().plus(LIFETIME).getEpochSecond();
    String payload = "v1|" + user + "|" + expires + "|" + fingerprint(passwordHash);
    return B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString(mac(payload));
  }

  /** A session that verified: the user it is for, and when it expires. */
  public record Session(String user, long expiresEpochSeconds) {}

  /**
   * The session, if the value is signed with our key, not expired and still matches the user's
   * password ({@code currentHash} looks the user's hash up; empty when the user is gone).
   */
  public Optional<Session> verify(String value, java.util.function.Function<String, Optional<String>> currentHash) {
    if (value == null || value.length() > 1024) {
      return Optional.empty();
    }
    int dot = value.indexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    String payload;
    byte[] signature;
    try {
      payload = new String(Base64.getUrlDecoder().decode(value.substring(0, dot)), StandardCharsets.UTF_8);
      signature = Base64.getUrlDecoder().decode(value.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(mac(payload), signature)) {
      return Optional.empty();
    }
    String[] parts = payload.split("\\|", -1);
    if (parts.length != 4 || !parts[0].equals("v1")) {
      return Optional.empty();
    }
    long expires;
    try {
      expires = Long.parseLong(parts[2]);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (clock.instant().getEpochSecond() >= expires) {
      return Optional.empty();
    }
    Optional<String> hash = currentHash.apply(parts[1]);
    if (hash.isEmpty() || !MessageDigest.isEqual(
        fingerprint(hash.get()).getBytes(StandardCharsets.UTF_8), parts[3].getBytes(StandardCharsets.UTF_8))) {
      return Optional.empty();
    }
    return Optional.of(new Session(parts[1], expires));
  }

  /** Ties a session to the password it was opened with, without putting the hash in the cookie. */
  private String fingerprint(String passwordHash) {
    byte[] full = mac("pw|" + passwordHash);
    return B64.encodeToString(java.util.Arrays.copyOf(full, 12));
  }

  private byte[] mac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
