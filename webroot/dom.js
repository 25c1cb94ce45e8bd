// Small DOM builders shared by the renderers. Text always goes in through textContent.

const SVG = 'http://www.w3.org/2000/svg';

/** An element with a class and, optionally, its text. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A decorative 16×16 icon: `shapes` is a list of [tag, attributes], e.g. ['path', { d: '…' }]. */
export function icon(className, shapes) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const [tag, attributes] of shapes) {
    const shape = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attributes)) shape.setAttribute(k, String(v));
    svg.append(shape);
  }
  return svg;
}

/** aria-busy="true" or no attribute at all (an empty aria-busy reads as false). */
export function setBusy(node, busy) {
  if (busy) node.setAttribute('aria-busy', 'true');
  else node.removeAttribute('aria-busy');
}
