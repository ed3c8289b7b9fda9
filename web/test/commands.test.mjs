import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInput } from '../src/commands.js';

const inChan = { target: '#parley' };

test('plain text is said in the open buffer; // sends a literal slash', () => {
  assert.deepEqual(parseInput('hello', inChan), { type: 'say', target: '#parley', text: 'hello' });
  assert.deepEqual(parseInput('//etc/passwd', inChan), { type: 'say', target: '#parley', text: '/etc/passwd' });
  assert.equal(parseInput('   ', inChan), null);
  assert.equal(parseInput('hello', { target: null }).type, 'error');
});

test('/me', () => {
  assert.deepEqual(parseInput('/me waves', inChan), { type: 'action', target: '#parley', text: 'waves' });
  assert.equal(parseInput('/me waves', { target: null }).type, 'error');
});

test('/join', () => {
  assert.deepEqual(parseInput('/join #a,b key', inChan), { type: 'join', channels: ['#a', '#b'], keys: ['key'] });
  assert.deepEqual(parseInput('/JOIN #x'), { type: 'join', channels: ['#x'], keys: [] });
  assert.equal(parseInput('/join').type, 'error');
});

test('/part', () => {
  assert.deepEqual(parseInput('/part', inChan), { type: 'part', channel: '#parley', reason: '' });
  assert.deepEqual(parseInput('/part bye all', inChan), { type: 'part', channel: '#parley', reason: 'bye all' });
  assert.deepEqual(parseInput('/part #other see you', inChan), { type: 'part', channel: '#other', reason: 'see you' });
  assert.equal(parseInput('/part', { target: 'bob' }).type, 'error');
});

test('/msg and /query', () => {
  assert.deepEqual(parseInput('/msg bob hi there', inChan), { type: 'query', nick: 'bob', text: 'hi there' });
  assert.equal(parseInput('/msg bob', inChan).type, 'error');
  assert.deepEqual(parseInput('/query bob', inChan), { type: 'query', nick: 'bob', text: '' });
});

test('/nick, /away, /topic, /quit, /quote, /help, unknown', () => {
  assert.deepEqual(parseInput('/nick alice2'), { type: 'nick', nick: 'alice2' });
  assert.equal(parseInput('/nick a b').type, 'error');
  assert.deepEqual(parseInput('/away lunch'), { type: 'away', message: 'lunch' });
  assert.deepEqual(parseInput('/away'), { type: 'away', message: '' });
  assert.deepEqual(parseInput('/topic new topic here', inChan), { type: 'topic', channel: '#parley', topic: 'new topic here' });
  assert.deepEqual(parseInput('/topic', inChan), { type: 'topic', channel: '#parley', topic: null });
  assert.deepEqual(parseInput('/topic #x hi', { target: null }), { type: 'topic', channel: '#x', topic: 'hi' });
  assert.deepEqual(parseInput('/quit gone'), { type: 'quit', message: 'gone' });
  assert.deepEqual(parseInput('/quote WHO #a'), { type: 'raw', line: 'WHO #a' });
  assert.deepEqual(parseInput('/help'), { type: 'help' });
  assert.equal(parseInput('/frobnicate').type, 'error');
});

test('a pasted newline cannot smuggle a second command', () => {
  const a = parseInput('hi\r\nQUIT :x', inChan);
  assert.equal(a.type, 'say');
  assert.doesNotMatch(a.text, /[\r\n]/);
});
