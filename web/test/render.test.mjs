import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fakeDocument } from './fakedom.mjs';
import { renderMessage, renderMember, renderBufferItem, appendText } from '../src/render.js';

const XSS = '<img src=x onerror=alert(1)>';
const tags = (el) => [...el.descendants()].map((e) => e.tagName);
const time = new Date('2026-03-04T05:06:07Z');

test('message text with markup is kept as text, creating no element', () => {
  const doc = fakeDocument();
  for (const kind of ['privmsg', 'action', 'notice', 'part', 'quit', 'topic', 'kick', 'info', 'error']) {
    const li = renderMessage(doc, { id: 1, time, kind, nick: '<b>eve</b>', text: XSS, self: false });
    assert.ok(li.textContent.includes(XSS) || kind === 'join', `${kind}: ${li.textContent}`);
    assert.ok(!tags(li).includes('IMG'), kind);
    assert.ok(!tags(li).includes('B'), kind);
    if (kind !== 'info' && kind !== 'error') assert.ok(li.textContent.includes('<b>eve</b>'), kind);
  }
});

test('a privmsg shows time, nick and text', () => {
  const li = renderMessage(fakeDocument(), { id: 7, time, kind: 'privmsg', nick: 'alice', text: 'hi', msgid: 'm1', self: true });
  assert.match(li.textContent, /^\d\d:\d\d alice: hi$/);
  assert.equal(li.dataset.msgid, 'm1');
  assert.ok(li.className.includes('self'));
  const t = [...li.descendants()].find((e) => e.tagName === 'TIME');
  assert.equal(t.getAttribute('datetime'), '2026-03-04T05:06:07.000Z');
});

test('only http(s) URLs become links, and their text is the URL itself', () => {
  const doc = fakeDocument();
  const p = appendText(doc, doc.createElement('p'), 'see https://example.org/a?b=1. and javascript:alert(1) "https://x.test/"><img>"');
  const links = [...p.descendants()].filter((e) => e.tagName === 'A');
  assert.deepEqual(links.map((a) => a.getAttribute('href')), ['https://example.org/a?b=1', 'https://x.test/']);
  assert.ok(links.every((a) => a.getAttribute('rel') === 'noopener noreferrer'));
  assert.equal(p.textContent, 'see https://example.org/a?b=1. and javascript:alert(1) "https://x.test/"><img>"');
  assert.ok(!tags(p).includes('IMG'));
});

test('members and buffers render names as text', () => {
  const doc = fakeDocument();
  const m = renderMember(doc, { nick: XSS, prefixes: '@+', away: true });
  assert.equal(m.textContent, '@' + XSS);
  assert.ok(!tags(m).includes('IMG'));
  const b = renderBufferItem(doc, { key: 'k', name: XSS, kind: 'query', unread: 3, mentions: 1 }, true);
  assert.ok(b.textContent.startsWith(XSS));
  assert.ok(!tags(b).includes('IMG'));
  const button = [...b.descendants()].find((e) => e.tagName === 'BUTTON');
  assert.equal(button.getAttribute('aria-current'), 'true');
  assert.match(button.getAttribute('aria-label'), /3 unread/);
});

test('no source file sets markup from strings', () => {
  const dir = new URL('../src/', import.meta.url);
  for (const f of readdirSync(dir)) {
    const src = readFileSync(new URL(f, dir), 'utf8');
    assert.doesNotMatch(src, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/, f);
  }
});
