import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, SERVER_KEY, backoffDelay, saslPlainChunks } from '../src/client.js';

/** A WebSocket stand-in: records what the client sends; `feed` plays server lines. */
function fakeSockets() {
  const sockets = [];
  class FakeWebSocket {
    constructor(url, protocols) {
      this.url = url;
      this.protocols = protocols;
      this.sent = [];
      this.readyState = 0;
      sockets.push(this);
    }

    open() {
      this.readyState = 1;
      this.onopen?.();
    }

    send(line) {
      this.sent.push(line);
    }

    feed(...lines) {
      for (const data of lines) this.onmessage?.({ data });
    }

    close() {
      this.readyState = 3;
      this.onclose?.();
    }

    take() {
      const s = this.sent;
      this.sent = [];
      return s;
    }
  }
  return { sockets, FakeWebSocket };
}

function setup(opts = {}) {
  const { sockets, FakeWebSocket } = fakeSockets();
  const timers = [];
  const client = new Client({
    url: 'ws://h/irc', nick: 'alice', channels: ['#a', '#b'], WebSocket: FakeWebSocket,
    schedule: (fn, ms) => timers.push({ fn, ms }), ...opts,
  });
  const events = [];
  client.on((type, data) => events.push({ type, data }));
  client.connect();
  sockets[0].open();
  return { client, sockets, timers, events, ws: sockets[0] };
}

const CAPS = 'server-time message-tags batch echo-message draft/chathistory away-notify multi-prefix '
  + 'extended-join userhost-in-names sasl=PLAIN,SCRAM-SHA-256 labeled-response';

function register(ws, { caps = CAPS } = {}) {
  ws.feed(':srv CAP * LS :' + caps);
  const req = ws.take().find((l) => l.startsWith('CAP REQ'));
  if (req) ws.feed(`:srv CAP * ACK :${req.replace(/^CAP REQ :?/, '')}`);
  ws.feed(':srv 001 alice :Welcome', ':srv 005 alice PREFIX=(ov)@+ CHATHISTORY=100 CHANTYPES=# :are supported');
}

test('registers with CAP 302, asks for the offered caps, joins the link\'s channels', () => {
  const { ws, client } = setup();
  assert.deepEqual(ws.protocols, ['text.ircv3.net']);
  assert.deepEqual(ws.take(), ['CAP LS 302', 'NICK alice', 'USER alice 0 * :Parley web chat']);
  ws.feed(':srv CAP * LS * :server-time batch sasl=PLAIN', ':srv CAP * LS :echo-message draft/chathistory');
  const req = ws.take();
  assert.deepEqual(req, ['CAP REQ :server-time batch echo-message draft/chathistory']);
  ws.feed(':srv CAP alice ACK :server-time batch echo-message draft/chathistory');
  assert.deepEqual(ws.take(), ['CAP END']);
  ws.feed(':srv 001 alice :Welcome to Parley');
  assert.deepEqual(ws.take(), ['JOIN #a,#b']);
  assert.ok(client.registered);
  assert.ok(client.hasHistory());
});

test('logs in with SASL PLAIN when an account is given', () => {
  const { ws } = setup({ account: 'alice', password: 'sëcret' });
  ws.take();
  ws.feed(':srv CAP * LS :sasl=PLAIN,SCRAM-SHA-256 server-time');
  assert.deepEqual(ws.take(), ['CAP REQ :server-time sasl']);
  ws.feed(':srv CAP * ACK :server-time sasl');
  assert.deepEqual(ws.take(), ['AUTHENTICATE PLAIN']);
  ws.feed('AUTHENTICATE +');
  const [auth] = ws.take();
  assert.equal(Buffer.from(auth.split(' ')[1], 'base64').toString('utf8'), 'alice\0alice\0sëcret');
  ws.feed(':srv 900 alice alice!a@h alice :You are now logged in', ':srv 903 alice :SASL authentication successful');
  assert.deepEqual(ws.take(), ['CAP END']);
});

test('a failed login still ends CAP and says why', () => {
  const { ws, client } = setup({ account: 'alice', password: 'bad' });
  ws.take();
  ws.feed(':srv CAP * LS :sasl', ':srv CAP * ACK :sasl', 'AUTHENTICATE +');
  ws.take();
  ws.feed(':srv 904 alice :SASL authentication failed');
  assert.deepEqual(ws.take(), ['CAP END']);
  assert.match(client.buffers.get(SERVER_KEY).messages.at(-1).text, /Login failed/);
});

test('SASL PLAIN payloads are split into 400-byte chunks', () => {
  const chunks = saslPlainChunks('a', 'x'.repeat(600));
  assert.equal(chunks[0].length, 400);
  assert.ok(chunks.every((c) => c.length <= 400));
  assert.equal(saslPlainChunks('ab', 'c'.repeat(294)).at(-1), '+'); // 300 bytes -> 400 base64 chars
});

test('a nick in use during registration gets an underscore', () => {
  const { ws, client } = setup();
  ws.take();
  ws.feed(':srv 433 * alice :Nickname is already in use');
  assert.deepEqual(ws.take(), ['NICK alice_']);
  ws.feed(':srv 001 alice_ :Welcome');
  assert.equal(client.nick, 'alice_');
});

test('join loads the latest history; older pages ask BEFORE the oldest msgid', () => {
  const { ws, client } = setup();
  register(ws);
  ws.take();
  ws.feed('@time=2026-01-01T10:00:00.000Z :alice!a@h JOIN #a * :Alice');
  assert.deepEqual(ws.take(), ['CHATHISTORY LATEST #a * 50']);
  ws.feed(':srv BATCH +h1 chathistory #a',
    '@batch=h1;time=2026-01-01T09:00:02.000Z;msgid=m2 :bob!b@h PRIVMSG #a :second',
    '@batch=h1;time=2026-01-01T09:00:01.000Z;msgid=m1 :bob!b@h PRIVMSG #a :first',
    ':srv BATCH -h1');
  const a = client.buffers.get('#a');
  assert.deepEqual(a.messages.map((m) => m.text || m.kind), ['first', 'second', 'join']);
  assert.equal(a.unread, 0, 'history is not unread');
  a.historyDone = false;
  assert.ok(client.requestHistory(a, 'BEFORE'));
  assert.deepEqual(ws.take(), ['CHATHISTORY BEFORE #a msgid=m1 50']);
  assert.ok(!client.requestHistory(a, 'BEFORE'), 'one request at a time');
  ws.feed(':srv BATCH +h2 chathistory #a',
    '@batch=h2;time=2026-01-01T09:00:01.000Z;msgid=m1 :bob!b@h PRIVMSG #a :first',
    ':srv BATCH -h2');
  assert.equal(a.messages.length, 3, 'duplicates by msgid are dropped');
  assert.ok(a.historyDone, 'a short page means the beginning of history');
  assert.ok(!client.requestHistory(a, 'BEFORE'));
});

test('names, modes, parts, quits, nick changes and away keep the member list', () => {
  const { ws, client } = setup();
  register(ws);
  ws.feed(':alice!a@h JOIN #a',
    ':srv 353 alice = #a :@+alice!a@h +bob!b@h carol!c@h',
    ':srv 366 alice #a :End of /NAMES list.');
  const a = client.buffers.get('#a');
  const list = () => client.sortedMembers(a).map((m) => m.prefixes + m.nick);
  assert.deepEqual(list(), ['@+alice', '+bob', 'carol']);
  ws.feed(':alice!a@h MODE #a +o-v carol bob');
  assert.deepEqual(list(), ['@+alice', '@carol', 'bob']);
  ws.feed(':bob!b@h NICK :robert', ':carol!c@h PART #a :bye', ':dave!d@h JOIN #a');
  assert.deepEqual(list(), ['@+alice', 'dave', 'robert']);
  ws.feed(':dave!d@h AWAY :lunch');
  assert.equal(a.members.get('dave').away, true);
  ws.feed(':dave!d@h QUIT :gone');
  assert.deepEqual(list(), ['@+alice', 'robert']);
  ws.feed(':srv 332 alice #a :the topic');
  assert.equal(a.topic, 'the topic');
  ws.feed(':robert!b@h TOPIC #a :new topic');
  assert.equal(a.topic, 'new topic');
});

test('private messages open a query buffer and count as unread and for you', () => {
  const { ws, client } = setup();
  register(ws, { caps: 'server-time echo-message' });
  ws.feed(':alice!a@h JOIN #a');
  client.setActive('#a');
  ws.feed(':bob!b@h PRIVMSG alice :psst', ':bob!b@h PRIVMSG #a :hello alice!', ':bob!b@h PRIVMSG #a :\x01ACTION waves\x01');
  const q = client.buffers.get('bob');
  assert.equal(q.kind, 'query');
  assert.equal(q.unread, 1);
  assert.equal(q.mentions, 1);
  const a = client.buffers.get('#a');
  assert.equal(a.unread, 0, 'the active buffer stays read');
  assert.equal(a.messages.at(-2).highlight, true);
  assert.equal(a.messages.at(-1).kind, 'action');
  assert.equal(a.messages.at(-1).text, 'waves');
  client.setActive('bob');
  assert.equal(q.unread, 0);
});

test('own messages: local echo without echo-message, none with it', () => {
  const { ws, client } = setup();
  register(ws, { caps: 'server-time' });
  ws.take();
  client.execute({ type: 'say', target: '#a', text: 'hi' });
  client.execute({ type: 'action', target: '#a', text: 'waves' });
  assert.deepEqual(ws.take(), ['PRIVMSG #a hi', 'PRIVMSG #a :\x01ACTION waves\x01']);
  assert.deepEqual(client.buffers.get('#a').messages.map((m) => [m.kind, m.text, m.self]),
    [['privmsg', 'hi', true], ['action', 'waves', true]]);

  const two = setup();
  register(two.ws);
  two.ws.take();
  two.client.execute({ type: 'say', target: '#a', text: 'hi' });
  assert.deepEqual(two.ws.take(), ['PRIVMSG #a hi']);
  assert.equal(two.client.buffers.get('#a'), undefined);
});

test('commands become IRC lines', () => {
  const { ws, client } = setup();
  register(ws, { caps: '' });
  ws.take();
  client.execute({ type: 'join', channels: ['#x', '#y'], keys: [] });
  client.execute({ type: 'part', channel: '#x', reason: 'bye now' });
  client.execute({ type: 'nick', nick: 'alicia' });
  client.execute({ type: 'away', message: 'lunch' });
  client.execute({ type: 'away', message: '' });
  client.execute({ type: 'topic', channel: '#y', topic: 'hello world' });
  client.execute({ type: 'query', nick: 'bob', text: 'hey' });
  assert.deepEqual(ws.take(), ['JOIN #x,#y', 'PART #x :bye now', 'NICK alicia', 'AWAY lunch', 'AWAY',
    'TOPIC #y :hello world', 'PRIVMSG bob hey']);
  client.execute({ type: 'quit', message: 'bye' });
  assert.deepEqual(ws.take(), ['QUIT bye']);
});

test('reconnects with growing delays and rejoins its channels', () => {
  const { ws, client, sockets, timers } = setup();
  register(ws);
  ws.feed(':alice!a@h JOIN #a', ':alice!a@h JOIN #b', ':alice!a@h PART #b');
  ws.close();
  assert.equal(timers.length, 1);
  assert.ok(timers[0].ms >= 800 && timers[0].ms <= 1200);
  timers[0].fn();
  sockets[1].close();
  assert.ok(timers[1].ms >= 1600 && timers[1].ms <= 2400);
  timers[1].fn();
  const ws3 = sockets[2];
  ws3.open();
  register(ws3);
  assert.ok(ws3.take().includes('JOIN #a'));
  assert.equal(client.attempt, 0);
});

test('quit does not reconnect', () => {
  const { ws, client, timers } = setup();
  register(ws);
  client.execute({ type: 'quit', message: '' });
  assert.equal(timers.length, 0);
});

test('back-off doubles up to a minute', () => {
  const mid = () => 0.5;
  assert.deepEqual([0, 1, 2, 3, 10, 30].map((n) => backoffDelay(n, mid)), [1000, 2000, 4000, 8000, 60000, 60000]);
});

test('answers PING', () => {
  const { ws } = setup();
  ws.take();
  ws.feed('PING :token');
  assert.deepEqual(ws.take(), ['PONG token']);
});

test('a history batch the server sends on join by itself is shown once, with LATEST deduplicated', () => {
  const { ws, client } = setup();
  register(ws);
  ws.feed(':alice!a@h JOIN #a');
  ws.take();
  const replay = (ref) => [`:srv BATCH +${ref} chathistory #a`,
    `@batch=${ref};time=2026-01-01T09:00:01.000Z;msgid=m1 :bob!b@h PRIVMSG #a :one`,
    `@batch=${ref};time=2026-01-01T09:00:02.000Z;msgid=m2 :bob!b@h NOTICE #a :two`,
    `:srv BATCH -${ref}`];
  ws.feed(...replay('r1'), ...replay('r2'));
  const a = client.buffers.get('#a');
  assert.deepEqual(a.messages.map((m) => m.text || m.kind), ['one', 'two', 'join']);
  assert.equal(a.historyLoading, false);
});

test('parting the open channel opens another one', () => {
  const { ws, client } = setup();
  register(ws);
  ws.feed(':alice!a@h JOIN #a', ':alice!a@h JOIN #b');
  client.setActive('#b');
  ws.feed(':alice!a@h PART #b');
  assert.equal(client.activeKey, '#a');
  assert.equal(client.buffers.has('#b'), false);
});

test('markup from the server stays plain text in the model', () => {
  const { ws, client } = setup();
  register(ws);
  ws.feed(':alice!a@h JOIN #a', ':eve!e@h PRIVMSG #a :<img src=x onerror=alert(1)>');
  assert.equal(client.buffers.get('#a').messages.at(-1).text, '<img src=x onerror=alert(1)>');
});

test('a FAIL for one history request stops loading only in its buffer', () => {
  const { ws, client } = setup();
  register(ws);
  ws.feed(':alice!a@h JOIN #a', ':bob!b@h PRIVMSG alice :hi');
  const a = client.buffers.get('#a');
  const bob = client.buffers.get('bob');
  assert.equal(a.historyLoading, 'LATEST');
  assert.equal(bob.historyLoading, 'LATEST');
  ws.feed(':srv FAIL CHATHISTORY INVALID_TARGET LATEST bob :No history for you');
  assert.equal(bob.historyLoading, false);
  assert.equal(a.historyLoading, 'LATEST');
});

test('an account without SASL PLAIN on offer is said, and registration goes on', () => {
  const { ws, client } = setup({ account: 'alice', password: 'x' });
  ws.take();
  ws.feed(':srv CAP * LS :sasl=SCRAM-SHA-256 server-time');
  assert.deepEqual(ws.take(), ['CAP REQ server-time']);
  assert.match(client.buffers.get(SERVER_KEY).messages.at(-1).text, /no SASL PLAIN/);
});
