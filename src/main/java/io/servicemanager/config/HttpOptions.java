package io.servicemanager.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * What the HTTP verticle needs of config.yaml, as it reaches the verticle through
 * {@code DeploymentOptions.setConfig}: config.yaml's own keys and nesting ({@code http.*},
 * {@code metrics.public}, {@code bridge.*}), so no key is renamed on the way. A key left out takes
 * the default the validator would have given, defined once in {@link ConfigValidator} and
 * {@link AppConfig.HttpLimits#DEFAULTS}.
 *
 * @param tls null: plain HTTP
 */
public record HttpOptions(String host, int port, AppConfig.HttpLimits limits, AppConfig.Tls tls,
    boolean metricsPublic, AppConfig.Bridge bridge) {

  public static HttpOptions of(AppConfig config) {
    return new HttpOptions(config.httpHost(), config.httpPort(), config.limits(), config.tls(), config.metricsPublic(),
        config.bridge());
  }

  public JsonObject toJson() {
    JsonObject http = new JsonObject().put("host", host).put("port", port)
        .put("request_head_timeout_seconds", limits.headTimeoutSeconds())
        .put("request_body_timeout_seconds", limits.bodyTimeoutSeconds())
        .put("idle_timeout_seconds", limits.idleTimeoutSeconds())
        .put("ws_ping_interval_seconds", limits.wsPingIntervalSeconds());
    if (tls != null) {
      http.put("tls", new JsonObject().put("cert", tls.cert().toString()).put("key", tls.key().toString()));
    }
    JsonObject json = new JsonObject().put("http", http).put("metrics", new JsonObject().put("public", metricsPublic));
    if (bridge.tcpEnabled()) {
      json.put("bridge", new JsonObject().put("tcp_port", bridge.tcpPort()).put("tcp_host", bridge.tcpHost()));
    }
    return json;
  }

  /** The inverse of {@link #toJson}; the values were validated before they were written. */
  public static HttpOptions fromJson(JsonObject json) {
    JsonObject http = json.getJsonObject("http", new JsonObject());
    AppConfig.HttpLimits d = AppConfig.HttpLimits.DEFAULTS;
    AppConfig.HttpLimits limits = new AppConfig.HttpLimits(
        http.getInteger("request_head_timeout_seconds", d.headTimeoutSeconds()),
        http.getInteger("request_body_timeout_seconds", d.bodyTimeoutSeconds()),
        http.getInteger("idle_timeout_seconds", d.idleTimeoutSeconds()),
        http.getInteger("ws_ping_interval_seconds", d.wsPingIntervalSeconds()));
    JsonObject tls = http.getJsonObject("tls");
    JsonObject bridge = json.getJsonObject("bridge");
    return new HttpOptions(http.getString("host", ConfigValidator.DEFAULT_HOST),
        http.getInteger("port", ConfigValidator.DEFAULT_PORT), limits,
        tls == null ? null : new AppConfig.Tls(Path.of(tls.getString("cert")), Path.of(tls.getString("key"))),
        json.getJsonObject("metrics", new JsonObject()).getBoolean("public", false),
        bridge == null ? AppConfig.Bridge.OFF
            : new AppConfig.Bridge(bridge.getInteger("tcp_port"), bridge.getString("tcp_host", AppConfig.Bridge.OFF.tcpHost())));
  }
}
