package io.servicemanager.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One webhook from config.yaml's {@code notifications:} list.
 *
 * @param url http or https
 * @param services the services whose events go out, as listed; empty means every visible service
 */
public record NotificationTarget(String url, Set<Event> events, List<String> services, Format format) {
  public NotificationTarget {
    events = Set.copyOf(events);
    services = List.copyOf(services);
  }

  /** Which event-bus messages a target hears. */
  public enum Event {
    STATUS, OPERATION;

    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The body: the /ws message itself, or one line of text for a chat. */
  public enum Format {
    JSON, DISCORD, SLACK;

    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public boolean wants(Event event, String service) {
    return events.contains(event) && (services.isEmpty() || services.contains(service));
  }
}
