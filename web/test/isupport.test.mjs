import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseCapList, chooseCaps, defaultIsupport, applyIsupport, parseNamesEntry, sortPrefixes, prefixChanges,
} from '../src/isupport.js';

test('parses a CAP LS 302 list with values', () => {
  const caps = parseCapList('sasl=PLAIN,SCRAM-SHA-256 server-time  draft/chathistory batch');
  assert.equal(caps.get('sasl'), 'PLAIN,SCRAM-SHA-256');
  assert.equal(caps.get('server-time'), '');
  assert.equal(caps.size, 4);
});

test('asks only for offered caps, and for sasl only with an account and PLAIN', () => {
  const offered = parseCapList('sasl=SCRAM-SHA-256,PLAIN server-time echo-message unknown-cap draft/multiline=max-bytes=4096');
  assert.deepEqual(chooseCaps(offered), ['server-time', 'echo-message']);
  assert.deepEqual(chooseCaps(offered, { wantSasl: true }), ['server-time', 'echo-message', 'sasl']);
  assert.deepEqual(chooseCaps(parseCapList('sasl=EXTERNAL'), { wantSasl: true }), []);
  assert.deepEqual(chooseCaps(parseCapList('sasl'), { wantSasl: true }), ['sasl']);
});

test('applies ISUPPORT tokens', () => {
  const s = defaultIsupport();
  applyIsupport(s, ['PREFIX=(qaohv)~&@%+', 'CHANTYPES=#', 'CASEMAPPING=ascii', 'CHATHISTORY=100',
    'CHANMODES=beI,k,l,imnst', 'NETWORK=Parley\\x20Net', 'EXCEPTS']);
  assert.equal(s.prefixModes, 'qaohv');
  assert.equal(s.prefixSymbols, '~&@%+');
  assert.equal(s.chantypes, '#');
  assert.equal(s.casemapping, 'ascii');
  assert.equal(s.chathistory, 100);
  assert.equal(s.network, 'Parley Net');
  assert.equal(s.raw.EXCEPTS, '');
  applyIsupport(s, ['-EXCEPTS']);
  assert.ok(!('EXCEPTS' in s.raw));
});

test('a malformed PREFIX keeps the old value', () => {
  const s = applyIsupport(defaultIsupport(), ['PREFIX=(ov)@']);
  assert.equal(s.prefixSymbols, '@+');
});

test('parses NAMES entries with multi-prefix and userhost-in-names', () => {
  assert.deepEqual(parseNamesEntry('@+alice', '@+'), { prefixes: '@+', nick: 'alice' });
  assert.deepEqual(parseNamesEntry('+bob!b@host', '@+'), { prefixes: '+', nick: 'bob' });
  assert.deepEqual(parseNamesEntry('carol', '@+'), { prefixes: '', nick: 'carol' });
  assert.equal(sortPrefixes('+@', '@+'), '@+');
});

test('finds prefix changes in a MODE line, skipping other modes\' parameters', () => {
  const s = defaultIsupport();
  assert.deepEqual(prefixChanges('+ov-v', ['alice', 'bob', 'carol'], s), [
    { add: true, symbol: '@', nick: 'alice' },
    { add: true, symbol: '+', nick: 'bob' },
    { add: false, symbol: '+', nick: 'carol' },
  ]);
  assert.deepEqual(prefixChanges('+klo', ['key', '10', 'dave'], s), [{ add: true, symbol: '@', nick: 'dave' }]);
  assert.deepEqual(prefixChanges('-lo', ['dave'], s), [{ add: false, symbol: '@', nick: 'dave' }]);
  assert.deepEqual(prefixChanges('+b-o', ['*!*@x', 'eve'], s), [{ add: false, symbol: '@', nick: 'eve' }]);
});
