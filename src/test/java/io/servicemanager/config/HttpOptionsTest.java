package io.servicemanager.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The HTTP verticle's options")
class HttpOptionsTest {
  @Test
  @DisplayName("reach the verticle unchanged, under config.yaml's own keys")
  void roundTrip() {
    HttpOptions options = new HttpOptions("0.0.0.0", 8443, new AppConfig.HttpLimits(5, 20, 120, 15),
        new AppConfig.Tls(Path.of("/etc/sm/cert.pem"), Path.of("/etc/sm/key.pem")), true,
        new AppConfig.Bridge(7000, "10.0.0.1"));
    JsonObject json = options.toJson();
    assertThat(json.getJsonObject("http").getInteger("idle_timeout_seconds")).isEqualTo(120);
    assertThat(json.getJsonObject("http").getJsonObject("tls").getString("cert")).isEqualTo("/etc/sm/cert.pem");
    assertThat(json.getJsonObject("metrics").getBoolean("public")).isTrue();
    assertThat(json.getJsonObject("bridge").getInteger("tcp_port")).isEqualTo(7000);
    assertThat(HttpOptions.fromJson(json)).isEqualTo(options);
  }

  @Test
  @DisplayName("left out, take the validator's defaults: plain HTTP, no TCP bridge, the default limits")
  void defaults() {
    assertThat(HttpOptions.fromJson(new JsonObject())).isEqualTo(new HttpOptions(ConfigValidator.DEFAULT_HOST,
        ConfigValidator.DEFAULT_PORT, AppConfig.HttpLimits.DEFAULTS, null, false, AppConfig.Bridge.OFF));
    assertThat(HttpOptions.fromJson(new JsonObject())).isEqualTo(
        HttpOptions.of(ConfigValidator.validateApp(new JsonObject(), Path.of("/etc/sm")).value()));
  }
}
