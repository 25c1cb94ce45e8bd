package io.servicemanager.config;

import io.servicemanager.config.NotificationTarget.Event;
import io.servicemanager.config.NotificationTarget.Format;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * config.yaml's {@code notifications:} list, whose shape its schema checks: the targets, with what a
 * schema cannot say as clearly, a URL that is not http(s) with a host and, once the services file is
 * read, a service that is not there or whose status is hidden.
 */
final class NotificationRules {
  private NotificationRules() {}

  static List<NotificationTarget> targets(Object raw, Problems problems) {
    List<NotificationTarget> targets = new ArrayList<>();
    if (!(raw instanceof JsonArray list)) {
      return targets;
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.getValue(i) instanceof JsonObject fields && fields.getValue("url") instanceof String url) {
        if (!isWebUrl(url)) {
          problems.add("notifications[" + i + "].url",
              "must be an http:// or https:// URL with a host (got " + ConfigValidator.show(url) + ")");
        }
        targets.add(new NotificationTarget(url, events(fields.getValue("events")), services(fields.getValue("services")),
            fields.getValue("format") instanceof String f ? ConfigWords.parse(Format.values(), f).orElse(null) : Format.JSON));
      }
    }
    return targets;
  }

  private static boolean isWebUrl(String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static Set<Event> events(Object raw) {
    Set<Event> events = new LinkedHashSet<>();
    if (raw instanceof JsonArray list) {
      list.stream().map(v -> v instanceof String s ? ConfigWords.parse(Event.values(), s).orElse(null) : null).filter(Objects::nonNull)
          .forEach(events::add);
    }
    return events;
  }

  private static List<String> services(Object raw) {
    return raw instanceof JsonArray list
        ? list.stream().filter(String.class::isInstance).map(String.class::cast).toList() : List.of();
  }

  /**
   * Services named by a target must exist and be visible: a hidden service's events are never sent,
   * so naming one is a mistake to report, not to ignore.
   */
  static List<String> checkServices(List<NotificationTarget> targets, ServiceCatalogue catalogue) {
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      List<String> names = targets.get(i).services();
      for (int j = 0; j < names.size(); j++) {
        String name = names.get(j);
        String path = "notifications[" + i + "].services[" + j + "]";
        var service = catalogue.find(name);
        if (service.isEmpty()) {
          errors.add(path + ": no service " + ConfigValidator.show(name) + " in the services file");
        } else if (!service.get().statusCheckAllowed()) {
          errors.add(path + ": " + ConfigValidator.show(name)
              + " has status_check_allowed: false, so none of its events is ever sent");
        }
      }
    }
    return errors;
  }
}
