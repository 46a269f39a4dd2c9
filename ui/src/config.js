// ui/src/config.js — what the page's inline bootstrap script told the
// bundle: endpoint URLs, worker URLs and the page's CSP nonce.
//
// Elements that libraries create at run time (<style> tags from Monaco,
// Emotion and Radix, SVG <style> from svg-pan-zoom) carry the page's nonce, so the Content-Security-Policy
// can forbid every other inline style element: markup injected into the
// page has no nonce and stays inert, while the page's own scripts, which
// are already trusted, keep working.
const config = globalThis.gqldUi || {};

export default config;

const nonce = config.nonce || '';
const isStyle = (name) => typeof name === 'string' && /^(?:[^:]*:)?style$/i.test(name);
if (nonce) {
  const create = Document.prototype.createElement;
  Document.prototype.createElement = function createElement(tag, options) {
    const el = create.call(this, tag, options);
    if (isStyle(tag)) el.nonce = nonce;
    return el;
  };
  const createNS = Document.prototype.createElementNS;
  Document.prototype.createElementNS = function createElementNS(ns, name, options) {
    const el = createNS.call(this, ns, name, options);
    if (isStyle(name)) el.nonce = nonce;
    return el;
  };
}
