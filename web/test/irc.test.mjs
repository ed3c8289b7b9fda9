import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseLine, formatLine, escapeTagValue, unescapeTagValue, parseSource, splitText, utf8Length, fold, isChannel, parseAction,
} from '../src/irc.js';

test('parses tags, source, command and a trailing parameter', () => {
  const m = parseLine('@time=2026-01-02T03:04:05.000Z;msgid=abc;+draft/reply :alice!a@host PRIVMSG #parley :hello there');
  assert.deepEqual(m.tags, { time: '2026-01-02T03:04:05.000Z', msgid: 'abc', '+draft/reply': '' });
  assert.equal(m.source, 'alice!a@host');
  assert.equal(m.command, 'PRIVMSG');
  assert.deepEqual(m.params, ['#parley', 'hello there']);
});

test('parses a line without tags or source, lower-case command, extra spaces', () => {
  assert.deepEqual(parseLine('ping  :x y'), { tags: {}, source: null, command: 'PING', params: ['x y'] });
  assert.deepEqual(parseLine('CAP * LS * :a b').params, ['*', 'LS', '*', 'a b']);
  assert.deepEqual(parseLine(':srv 001 me :Welcome\r\n').params, ['me', 'Welcome']);
  assert.deepEqual(parseLine('JOIN #a').params, ['#a']);
  assert.deepEqual(parseLine('PRIVMSG #a :').params, ['#a', '']);
  assert.deepEqual(parseLine('PRIVMSG #a ::-)').params, ['#a', ':-)']);
  assert.equal(parseLine(''), null);
});

test('unescapes tag values as IRCv3 says', () => {
  assert.equal(unescapeTagValue('a\\sb\\:c\\\\d\\re\\nf'), 'a b;c\\d\re\nf');
  assert.equal(unescapeTagValue('trailing\\'), 'trailing');
  assert.equal(unescapeTagValue('\\x\\b'), 'xb');
  const m = parseLine('@k=a\\sb\\:c;e= :s CMD');
  assert.deepEqual(m.tags, { k: 'a b;c', e: '' });
});

test('tag escaping round-trips', () => {
  for (const v of ['plain', 'a b', 'x;y', 'back\\slash', 'cr\rlf\n', '; \\\r\n', '']) {
    assert.equal(unescapeTagValue(escapeTagValue(v)), v);
    assert.doesNotMatch(escapeTagValue(v), /[ ;\r\n]/);
  }
});

test('formats lines, adding a colon only when needed', () => {
  assert.equal(formatLine({ command: 'NICK', params: ['alice'] }), 'NICK alice');
  assert.equal(formatLine({ command: 'PRIVMSG', params: ['#a', 'hi there'] }), 'PRIVMSG #a :hi there');
  assert.equal(formatLine({ command: 'PRIVMSG', params: ['#a', ':)'] }), 'PRIVMSG #a ::)');
  assert.equal(formatLine({ command: 'AWAY', params: [''] }), 'AWAY :');
  assert.equal(formatLine({ command: 'CAP', params: ['LS', '302'] }), 'CAP LS 302');
  assert.equal(formatLine({ tags: { label: 'a b', '+typing': '' }, command: 'TAGMSG', params: ['#a'] }),
    '@label=a\\sb;+typing TAGMSG #a');
});

test('formatting never lets a parameter start a second line', () => {
  const line = formatLine({ command: 'PRIVMSG', params: ['#a', 'hi\r\nQUIT :bye\0'] });
  assert.doesNotMatch(line, /[\r\n\0]/);
  assert.equal(parseLine(line).command, 'PRIVMSG');
  assert.equal(formatLine({ command: 'JOIN', params: ['#a b', 'k'] }), 'JOIN #ab k');
});

test('format then parse round-trips', () => {
  const msg = { tags: { time: '2026-01-01T00:00:00Z', x: 'a;b c' }, command: 'PRIVMSG', params: ['#c', 'x y :z'] };
  const back = parseLine(formatLine(msg));
  assert.deepEqual(back, { ...msg, source: null });
});

test('splits sources', () => {
  assert.deepEqual(parseSource('nick!user@host'), { nick: 'nick', user: 'user', host: 'host' });
  assert.deepEqual(parseSource('irc.example.org'), { nick: 'irc.example.org', user: '', host: '' });
  assert.deepEqual(parseSource('nick@host'), { nick: 'nick', user: '', host: 'host' });
  assert.deepEqual(parseSource(null), { nick: '', user: '', host: '' });
});

test('splits long text by UTF-8 bytes, at spaces, never inside a code point', () => {
  assert.deepEqual(splitText('short', 10), ['short']);
  assert.deepEqual(splitText('aaaa bbbb cccc', 10), ['aaaa bbbb', 'cccc']);
  const emoji = '😀'.repeat(10);
  const parts = splitText(emoji, 9);
  for (const p of parts) assert.ok(utf8Length(p) <= 9);
  assert.equal(parts.join(''), emoji);
});

test('case folding and channel detection', () => {
  assert.equal(fold('Nick[]\\~'), 'nick{}|^');
  assert.equal(fold('Nick[]', 'ascii'), 'nick[]');
  assert.ok(isChannel('#a'));
  assert.ok(!isChannel('alice'));
  assert.ok(isChannel('!x', '!'));
});

test('CTCP ACTION', () => {
  assert.equal(parseAction('\x01ACTION waves\x01'), 'waves');
  assert.equal(parseAction('\x01ACTION waves'), 'waves');
  assert.equal(parseAction('hello'), null);
  assert.equal(parseAction('\x01VERSION\x01'), null);
});
