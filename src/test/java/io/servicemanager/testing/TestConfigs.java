package io.servicemanager.testing;

import io.servicemanager.auth.Identity;
import io.servicemanager.auth.PasswordHash;
import io.servicemanager.auth.Role;
import io.servicemanager.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Application settings for tests: a free port, the given bus, a history file of their own, and a
 * users file with one operator ({@link #OPERATOR}, every service) whose Basic credentials the test
 * clients ({@link #client}, {@link WsClient#connect}) send.
 */
public final class TestConfigs {
  public static final String OPERATOR = "tester";
  public static final String PASSWORD = "tester-password";
  /** A services.yaml with units/sleeper.service as {@code sleeper} (all actions). */
  public static final String SLEEPER_YAML = "services:\n  sleeper:\n    display_name: Sleeper\n    description: d\n"
      + "    permissions_required: all\n    status_check_allowed: true\n";
  /** {@link #SLEEPER_YAML} and units/exits-one.service as {@code exits-one} (restart). */
  public static final String SLEEPER_AND_EXITS_YAML = SLEEPER_YAML
      + "  exits-one:\n    display_name: Exits\n    description: d\n"
      + "    permissions_required: restart\n    status_check_allowed: true\n";
  /** Hashing is slow on purpose: once per test JVM. */
  private static volatile String operatorHash;

  private TestConfigs() {}

  /** No services file to watch (the catalogue comes from code); history and users in a fresh temp folder. */
  public static AppConfig forBus(String busAddress) {
    try {
      Path dir = Files.createTempDirectory("sm-test-");
      dir.toFile().deleteOnExit();
      writeUsers(dir.resolve("users.yaml"));
      return new AppConfig("127.0.0.1", 0, busAddress, dir.resolve("no-services-file.yaml"),
          dir.resolve("history.jsonl"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A users file with the test operator and {@code more} (YAML lines under {@code users:}, indented two spaces). */
  public static Path writeUsers(Path file, String... more) {
    StringBuilder yaml = new StringBuilder("users:\n  " + OPERATOR + ":\n    password: \"" + operatorHash()
        + "\"\n    role: operator\n");
    for (String line : more) {
      yaml.append(line).append('\n');
    }
    try {
      return Files.writeString(file, yaml.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String operatorHash() {
    if (operatorHash == null) {
      operatorHash = PasswordHash.hash(PASSWORD.toCharArray());
    }
    return operatorHash;
  }

  public static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** The test operator's Authorization header value. */
  public static String operatorBasic() {
    return basic(OPERATOR, PASSWORD);
  }

  /** A web client that sends the test operator's credentials with every request. */
  public static WebClient client(Vertx vertx) {
    return WebClientSession.create(WebClient.create(vertx)).addHeader("Authorization", operatorBasic());
  }

  /** The identity the web layer puts in a {@code servicemanager.action} request for the test operator. */
  public static JsonObject operatorIdentity() {
    return new Identity(OPERATOR, Role.OPERATOR, null).toJson();
  }
}
