// A minimal document for testing the DOM builders without a browser. It has no
// HTML parser at all: anything that tried to set markup would fail loudly.

class Node {
  constructor(doc) {
    this.ownerDocument = doc;
    this.childNodes = [];
  }

  appendChild(child) {
    this.childNodes.push(child);
    return child;
  }

  get textContent() {
    return this.childNodes.map((c) => c.textContent).join('');
  }

  set textContent(text) {
    this.childNodes = [new Text(this.ownerDocument, String(text))];
  }
}

class Text extends Node {
  constructor(doc, data) {
    super(doc);
    this.data = data;
    this.nodeType = 3;
  }

  get textContent() {
    return this.data;
  }
}

class Element extends Node {
  constructor(doc, tag) {
    super(doc);
    this.tagName = tag.toUpperCase();
    this.nodeType = 1;
    this.attributes = {};
    this.dataset = {};
    this.className = '';
  }

  setAttribute(name, value) {
    this.attributes[name] = String(value);
  }

  getAttribute(name) {
    return this.attributes[name] ?? null;
  }

  set innerHTML(_) {
    throw new Error('innerHTML must not be used');
  }

  insertAdjacentHTML() {
    throw new Error('insertAdjacentHTML must not be used');
  }

  /** Every element below this one, depth first. */
  *descendants() {
    for (const c of this.childNodes) {
      if (c instanceof Element) {
        yield c;
        yield* c.descendants();
      }
    }
  }
}

export function fakeDocument() {
  const doc = {
    createElement: (tag) => new Element(doc, tag),
    createTextNode: (text) => new Text(doc, String(text)),
  };
  return doc;
}
