// The dashboard's routes: #/ is the list, #/services/NAME a service's page (of the dashboard's own
// node), #/nodes/NODE/services/NAME a page of another node's service, #/config the configuration. Small and apart from service-page.js, so that the list can link its cards without
// loading the page's code.

import { el } from './dom.js';

const ROUTE = /^#(?:\/nodes\/([^/]+))?\/services\/([^/]+)$/;
/** The Configuration page (for an identity that sees every service). */
export const CONFIG_ROUTE = '#/config';

/** The service a hash routes to, { node, name } (node null for the own node's), or null for the list. */
export function routeOf(hash = location.hash) {
  const match = ROUTE.exec(hash);
  if (!match) return null;
  try {
    return { node: match[1] === undefined ? null : decodeURIComponent(match[1]), name: decodeURIComponent(match[2]) };
  } catch {
    return null;
  }
}

/** The page of a service; `node` only for another node's service. */
export const pageHref = (name, node = null) =>
  `#${node ? `/nodes/${encodeURIComponent(node)}` : ''}/services/${encodeURIComponent(name)}`;

/** Gives a card its link to the page (once; the card is updated in place afterwards). */
export function linkCard(card, view, own = true) {
  let link = card.querySelector(':scope > .card-page-link');
  if (!link) {
    link = el('a', 'card-page-link');
    link.append('Details', el('span', 'visually-hidden'));
    card.append(link);
  }
  link.href = pageHref(view.name, own ? null : view.node);
  link.lastChild.textContent = ` of ${view.display_name || view.name}`;
}
