package io.servicemanager.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Basic pairs whose password was verified lately, so a client that sends its password with every
 * request costs one Argon2id check every few minutes, not one per request. A pair is held under a
 * keyed digest (never the password itself) with the password hash it was verified against: a
 * changed users file invalidates it.
 *
 * <p>One cache serves every HTTP verticle instance, as the throttle does, and is consulted only
 * after the throttle has let the attempt in: a remembered password opens no door the throttle
 * holds shut. Synchronized: each instance asks from its own event loop.
 */
final class BasicCache {
  private static final long LIFETIME_MS = 5 * 60_000;
  private static final int SIZE = 1_000;

  private record Verified(String hash, long until) {}

  private final byte[] key = new byte[32];
  /** In insertion order, the oldest first: the one to drop when full. */
  private final Map<String, Verified> verified = new LinkedHashMap<>();

  BasicCache() {
    new SecureRandom().nextBytes(key);
  }

  /** Whether this pair was verified against {@code currentHash} within the last few minutes. */
  synchronized boolean knows(String user, String password, String currentHash) {
    Verified known = verified.get(digest(user, password));
    return known != null && known.until > System.currentTimeMillis() && known.hash.equals(currentHash);
  }

  synchronized void remember(String user, String password, String hash) {
    String id = digest(user, password);
    verified.remove(id);
    verified.put(id, new Verified(hash, System.currentTimeMillis() + LIFETIME_MS));
    if (verified.size() > SIZE) {
      verified.remove(verified.keySet().iterator().next());
    }
  }

  /** A reloaded users file: no remembered password survives. */
  synchronized void clear() {
    verified.clear();
  }

  private String digest(String user, String password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal((user + '\0' + password).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
