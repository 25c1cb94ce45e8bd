package io.servicemanager.testing;

import org.openqa.selenium.By;

/** A fleet dashboard's list as a browser test finds it: a host's heading, a card by host and name. */
public final class FleetPage {
  private FleetPage() {}

  /** A card by node and name: its key in the page is "node/name". */
  public static By card(String node, String name) {
    return By.cssSelector(".card[data-service='" + node + "/" + name + "']");
  }

  /** The heading of a host's group of cards. */
  public static By heading(String node) {
    return By.cssSelector("#services > .host-heading[data-node='" + node + "']");
  }
}
