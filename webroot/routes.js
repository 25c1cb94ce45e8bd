// The dashboard's routes: #/ is the list, #/services/NAME a service's page, #/config the
// configuration. Small and apart from service-page.js, so that the list can link its cards without
// loading the page's code.

import { el } from './dom.js';

const ROUTE = /^#\/services\/([^/]+)$/;
/** The Configuration page (for an identity that sees every service). */
export const CONFIG_ROUTE = '#/config';

/** The service name a hash routes to, or null for the list (#/ or no hash). */
export function routeOf(hash = location.hash) {
  const match = ROUTE.exec(hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

export const pageHref = (name) => `#/services/${encodeURIComponent(name)}`;

/** Gives a card its link to the page (once; the card is updated in place afterwards). */
export function linkCard(card, view) {
  let link = card.querySelector(':scope > .card-page-link');
  if (!link) {
    link = el('a', 'card-page-link');
    link.append('Details', el('span', 'visually-hidden'));
    card.append(link);
  }
  link.href = pageHref(view.name);
  link.lastChild.textContent = ` of ${view.display_name || view.name}`;
}
