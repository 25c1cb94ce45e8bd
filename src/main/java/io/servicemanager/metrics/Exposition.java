package io.servicemanager.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.MIMEHeader;
import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a registry in the format the scraper asked for: OpenMetrics 1.0.0 when its
 * {@code Accept} prefers {@code application/openmetrics-text} (as Prometheus' own scraper does),
 * else the Prometheus text format 0.0.4. Never protobuf: the answer is text.
 */
public record Exposition(String contentType, String body) {
  public static final String OPENMETRICS = "application/openmetrics-text";
  /** The content types the Prometheus client's writers answer (the registry picks its writer by them). */
  public static final String OPENMETRICS_TYPE = OPENMETRICS + "; version=1.0.0; charset=utf-8";
  public static final String TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * A bucket bound or quantile the Prometheus Java client wrote with {@link Double#toString}, which
   * turns to scientific notation below 0.001 and from 10^7 ({@code le="2.5E-4"}). Go's and Python's
   * clients write {@code le="0.00025"}; Prometheus parses both, but a PromQL selector on the label
   * ({@code le="0.00025"}) matches only the string.
   */
  private static final Pattern SCIENTIFIC_BOUND =
      Pattern.compile("([{,](?:le|quantile)=\")(-?\\d+(?:\\.\\d+)?E-?\\d+)\"");

  /** @param accept the parsed {@code Accept} header, best first (Vert.x Web's order); empty for none */
  public static boolean wantsOpenMetrics(List<MIMEHeader> accept) {
    for (MIMEHeader type : accept) {
      String value = type.component() + "/" + type.subComponent();
      if (type.weight() <= 0) {
        continue; // q=0: "not acceptable"
      }
      if (OPENMETRICS.equalsIgnoreCase(value)) {
        return true;
      }
      if ("text/plain".equalsIgnoreCase(value) || "*/*".equals(value) || "text/*".equalsIgnoreCase(value)) {
        return false;
      }
    }
    return false;
  }

  /** Reads every meter: call it off the event loop. */
  public static Exposition scrape(PrometheusMeterRegistry registry, boolean openMetrics) {
    String contentType = openMetrics ? OPENMETRICS_TYPE : TEXT_TYPE;
    return new Exposition(contentType, plainBounds(registry.scrape(contentType)));
  }

  static String plainBounds(String text) {
    Matcher m = SCIENTIFIC_BOUND.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(
          m.group(1) + new BigDecimal(m.group(2)).stripTrailingZeros().toPlainString() + "\""));
    }
    return m.appendTail(out).toString();
  }
}
