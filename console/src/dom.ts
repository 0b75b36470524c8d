/**
 * A tiny element builder: every text goes in as a text node (never as HTML), so nothing the API
 * returns can become markup, and no inline script or style is ever needed (the CSP forbids both).
 */

export type Child = Node | string | number | false | null | undefined | readonly Child[];
type Listener = (event: Event) => void;
export type Attrs = Record<string, string | number | boolean | null | undefined | Listener>;

const append = (parent: Node, child: Child): void => {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const inner of child as readonly Child[]) append(parent, inner);
    return;
  }
  parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
};

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Replaces an element's content. */
export const replace = (parent: Element, ...children: Child[]): void => {
  parent.replaceChildren();
  append(parent, children);
};

/** Says something to screen readers through the page's live region. */
export const announce = (message: string): void => {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick makes repeated messages heard again.
  setTimeout(() => (region.textContent = message), 30);
};

let ids = 0;
/** A unique id for label/aria wiring. */
export const uid = (prefix: string): string => `${prefix}-${++ids}`;
