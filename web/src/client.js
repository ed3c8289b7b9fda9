// The chat client state machine: one IRC connection over a WebSocket (IRCv3
// WebSocket transport), its registration (CAP 302, SASL PLAIN), the buffers
// (server, channels, queries) with members, topic, messages and unread counts,
// history (CHATHISTORY) and reconnection with exponential back-off.
// No DOM here: the page listens to events. Everything runs on the page's one thread.

import { parseLine, parseSource, formatLine, splitText, isChannel, fold, parseAction } from './irc.js';
import {
  parseCapList, chooseCaps, defaultIsupport, applyIsupport, parseNamesEntry, sortPrefixes, prefixChanges,
} from './isupport.js';
import { HELP } from './commands.js';

export const SERVER_KEY = '*server*';
const HISTORY_PAGE = 50;
/** Bytes of text per PRIVMSG, leaving room for the source and command the server adds. */
const TEXT_BYTES = 380;
const MAX_BACKOFF_MS = 60_000;

/** Reconnection delay for the given attempt (0-based): 1 s, 2 s, 4 s … up to a minute, ±20 %. */
export function backoffDelay(attempt, random = Math.random) {
  const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Encodes SASL PLAIN credentials as the base64 chunks of AUTHENTICATE lines (RFC 4616). */
export function saslPlainChunks(account, password) {
  const bytes = new TextEncoder().encode(`${account}\0${account}\0${password}`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  const b64 = btoa(bin);
  const chunks = [];
  for (let i = 0; i < b64.length; i += 400) chunks.push(b64.slice(i, i + 400));
  if (b64.length % 400 === 0) chunks.push('+');
  return chunks;
}

export class Client {
  /**
   * @param {object} o
   * @param {string} o.url WebSocket URL
   * @param {string} o.nick wanted nick
   * @param {string} [o.account] account for SASL PLAIN
   * @param {string} [o.password]
   * @param {string[]} [o.channels] channels to join once registered
   * @param {number} [o.historyPage] messages per CHATHISTORY request (default 50, at most the server's CHATHISTORY)
   * @param {Function} [o.WebSocket] WebSocket constructor (tests pass a fake)
   * @param {Function} [o.schedule] setTimeout-like function
   */
  constructor(o) {
    this.url = o.url;
    this.wantedNick = o.nick;
    this.account = o.account || '';
    this.password = o.password || '';
    this.WebSocket = o.WebSocket ?? globalThis.WebSocket;
    this.schedule = o.schedule ?? ((fn, ms) => setTimeout(fn, ms));
    this.listeners = new Set();
    this.nick = o.nick;
    this.caps = new Set();
    this.offered = new Map();
    this.isupport = defaultIsupport();
    this.buffers = new Map();
    this.batches = new Map();
    this.activeKey = SERVER_KEY;
    this.visible = true;
    this.registered = false;
    this.quitting = false;
    this.attempt = 0;
    this.seq = 0;
    this.historyPage = Math.max(1, Math.min(1000, Number(o.historyPage) || HISTORY_PAGE));
    this.autojoin = [...(o.channels ?? [])];
    /** Channels whose buffer opens when joined: the first of each join the user asked for. */
    this.switchTo = new Set(this.autojoin.slice(0, 1).map((c) => fold(c)));
    this.ensureBuffer(SERVER_KEY, 'Server', 'server');
  }

  /** Subscribes to events: fn(type, data). Types: buffers, messages, members, topic, status, nick. */
  on(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(type, data) {
    for (const fn of this.listeners) fn(type, data);
  }

  key(name) {
    return fold(name, this.isupport.casemapping);
  }

  isChannel(name) {
    return isChannel(name, this.isupport.chantypes);
  }

  hasHistory() {
    return (this.caps.has('draft/chathistory') || this.caps.has('chathistory')) && this.caps.has('batch');
  }

  // ---- buffers ------------------------------------------------------------

  ensureBuffer(key, name, kind) {
    let b = this.buffers.get(key);
    if (!b) {
      b = {
        key, name, kind, messages: [], msgids: new Set(), members: new Map(), topic: '',
        unread: 0, mentions: 0, joined: false, historyLoading: false, historyDone: false,
      };
      this.buffers.set(key, b);
      this.emit('buffers');
    }
    return b;
  }

  bufferFor(name) {
    if (!name || name === '*') return this.buffers.get(SERVER_KEY);
    const key = this.key(name);
    return this.buffers.get(key) ?? this.ensureBuffer(key, name, this.isChannel(name) ? 'channel' : 'query');
  }

  removeBuffer(key) {
    if (key === SERVER_KEY) return;
    this.buffers.delete(key);
    if (this.activeKey === key) {
      const channels = [...this.buffers.values()].filter((b) => b.kind === 'channel');
      this.activeKey = channels.length ? channels[channels.length - 1].key : SERVER_KEY;
    }
    this.emit('buffers');
  }

  setActive(key) {
    if (!this.buffers.has(key)) return;
    this.activeKey = key;
    this.markRead(key);
  }

  setVisible(visible) {
    this.visible = visible;
    if (visible) this.markRead(this.activeKey);
  }

  markRead(key) {
    const b = this.buffers.get(key);
    if (b && (b.unread || b.mentions)) {
      b.unread = 0;
      b.mentions = 0;
      this.emit('buffers');
    }
  }

  /** Members of a channel buffer, highest prefix first, then by nick. */
  sortedMembers(buffer) {
    const symbols = this.isupport.prefixSymbols;
    const rank = (m) => (m.prefixes ? symbols.indexOf(m.prefixes[0]) : symbols.length);
    return [...buffer.members.values()].sort((a, b) =>
      rank(a) - rank(b) || a.nick.toLowerCase().localeCompare(b.nick.toLowerCase()));
  }

  /** Adds a message to a buffer; live messages count as unread outside the active buffer. */
  addMessage(buffer, m, { live = true } = {}) {
    if (m.msgid) {
      if (buffer.msgids.has(m.msgid)) return;
      buffer.msgids.add(m.msgid);
    }
    m.id = ++this.seq;
    buffer.messages.push(m);
    if (live && (m.kind === 'privmsg' || m.kind === 'action' || m.kind === 'notice') && !m.self
        && (buffer.key !== this.activeKey || !this.visible)) {
      buffer.unread++;
      if (m.highlight || buffer.kind === 'query') buffer.mentions++;
      this.emit('buffers');
    }
    this.emit('message', { buffer, message: m });
  }

  info(text, buffer = this.buffers.get(this.activeKey), kind = 'info') {
    this.addMessage(buffer ?? this.buffers.get(SERVER_KEY), { time: new Date(), kind, nick: '', text, self: true });
  }

  // ---- connection ---------------------------------------------------------

  connect() {
    this.quitting = false;
    this.registered = false;
    this.caps = new Set();
    this.offered = new Map();
    this.batches = new Map();
    this.isupport = defaultIsupport();
    this.nick = this.wantedNick;
    this.emit('status', { state: 'connecting', text: 'Connecting…' });
    let ws;
    try {
      ws = new this.WebSocket(this.url, ['text.ircv3.net']);
    } catch (e) {
      this.emit('status', { state: 'error', text: `Cannot connect: ${e.message}` });
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.emit('status', { state: 'registering', text: 'Connected, signing in…' });
      this.send('CAP', 'LS', '302');
      this.send('NICK', this.nick);
      this.send('USER', (this.account || this.nick).replace(/[^A-Za-z0-9_-]/g, '') || 'web', '0', '*', 'Parley web chat');
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      const data = typeof ev.data === 'string' ? ev.data : new TextDecoder().decode(ev.data);
      for (const line of data.split(/\r?\n/)) {
        if (line) this.handleLine(line);
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.onDisconnected();
    };
    ws.onerror = () => {};
  }

  onDisconnected() {
    this.registered = false;
    for (const b of this.buffers.values()) {
      if (b.kind === 'channel') {
        b.members.clear();
        this.emit('members', b);
      }
    }
    if (this.quitting) {
      this.emit('status', { state: 'closed', text: 'Disconnected.' });
      return;
    }
    this.info('Connection lost.', this.buffers.get(SERVER_KEY), 'error');
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    const delay = backoffDelay(this.attempt++);
    this.emit('status', { state: 'waiting', text: `Disconnected. Reconnecting in ${Math.round(delay / 1000)} s…` });
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = this.schedule(() => {
      if (!this.quitting) this.connect();
    }, delay);
  }

  /** Reconnects at once (the user asked to). */
  reconnectNow() {
    clearTimeout(this.reconnectTimer);
    if (this.ws) return;
    this.connect();
  }

  /** Closes the connection for good (no reconnection). */
  close(message = '') {
    this.quitting = true;
    clearTimeout(this.reconnectTimer);
    if (this.ws) {
      if (this.ws.readyState === 1) this.send('QUIT', ...(message ? [message] : []));
      this.ws.close();
    } else {
      this.emit('status', { state: 'closed', text: 'Disconnected.' });
    }
  }

  send(command, ...params) {
    this.sendMessage({ command, params });
  }

  sendMessage(msg) {
    if (!this.ws || this.ws.readyState !== 1) return false;
    this.ws.send(formatLine(msg));
    return true;
  }

  // ---- incoming -----------------------------------------------------------

  handleLine(line) {
    const msg = parseLine(line);
    if (!msg) return;
    const batchRef = msg.tags.batch;
    if (batchRef && this.batches.has(batchRef)) {
      const batch = this.batches.get(batchRef);
      if (batch.type === 'chathistory' || batch.type === 'draft/chathistory' || batch.history) {
        if (msg.command !== 'BATCH') {
          batch.messages.push(msg);
          return;
        }
      }
    }
    const handler = this.handlers[msg.command];
    if (handler) handler.call(this, msg);
    else if (/^\d{3}$/.test(msg.command)) this.numeric(msg);
  }

  time(msg) {
    const t = msg.tags.time ? new Date(msg.tags.time) : new Date();
    return Number.isNaN(t.getTime()) ? new Date() : t;
  }

  isMe(nick) {
    return this.key(nick) === this.key(this.nick);
  }

  mentions(text) {
    const nick = this.nick.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^\\w])${nick}($|[^\\w])`, 'i').test(text);
  }

  /** Turns a PRIVMSG or NOTICE into a buffer and a message, or null when it is not for a buffer. */
  chatMessage(msg) {
    const [target, text = ''] = msg.params;
    if (target === undefined) return null;
    const src = parseSource(msg.source);
    const self = this.isMe(src.nick);
    let bufferName;
    if (this.isChannel(target.replace(/^[~&@%+]+(?=[#&])/, ''))) {
      bufferName = target.replace(/^[~&@%+]+(?=[#&])/, '');
    } else if (self) {
      bufferName = target;
    } else if (!src.nick || !msg.source.includes('!') && (msg.command === 'NOTICE' || !this.registered)) {
      bufferName = null; // server notice
    } else {
      bufferName = src.nick;
    }
    if (msg.command === 'PRIVMSG' && text.startsWith('\x01') && parseAction(text) === null) return null; // other CTCP
    const action = msg.command === 'PRIVMSG' ? parseAction(text) : null;
    return {
      bufferName,
      message: {
        time: this.time(msg),
        kind: action !== null ? 'action' : msg.command === 'NOTICE' ? 'notice' : 'privmsg',
        nick: src.nick || msg.source || '',
        text: action ?? text,
        msgid: msg.tags.msgid || msg.tags['draft/msgid'] || '',
        self,
        highlight: !self && this.mentions(action ?? text),
        account: msg.tags.account || '',
      },
    };
  }

  numeric(msg) {
    const p = msg.params;
    const code = Number(msg.command);
    const rest = p.slice(1);
    switch (msg.command) {
      case '001':
        this.nick = p[0];
        this.registered = true;
        this.attempt = 0;
        this.emit('nick', this.nick);
        this.emit('status', { state: 'connected', text: `Connected as ${this.nick}` });
        this.info(rest.join(' '), this.buffers.get(SERVER_KEY));
        this.joinAfterRegistration();
        return;
      case '005':
        applyIsupport(this.isupport, rest.slice(0, -1));
        return;
      case '332': {
        const b = this.bufferFor(p[1]);
        b.topic = p[2] ?? '';
        this.emit('topic', b);
        return;
      }
      case '331': {
        const b = this.bufferFor(p[1]);
        b.topic = '';
        this.emit('topic', b);
        return;
      }
      case '333':
        return;
      case '353': {
        const b = this.bufferFor(p[2]);
        if (b.namesDone) {
          b.members.clear();
          b.namesDone = false;
        }
        for (const entry of (p[3] ?? '').split(' ')) {
          if (!entry) continue;
          const { prefixes, nick } = parseNamesEntry(entry, this.isupport.prefixSymbols);
          const old = b.members.get(this.key(nick));
          b.members.set(this.key(nick), { nick, prefixes: sortPrefixes(prefixes, this.isupport.prefixSymbols), away: old?.away ?? false });
        }
        return;
      }
      case '366': {
        const b = this.bufferFor(p[1]);
        b.namesDone = true;
        this.emit('members', b);
        return;
      }
      case '305':
      case '306':
        this.away = msg.command === '306';
        this.emit('status', { state: 'connected', text: this.away ? `Connected as ${this.nick} (away)` : `Connected as ${this.nick}` });
        this.info(p[1] ?? '');
        return;
      case '900':
        this.info(`Logged in as ${p[2]}.`, this.buffers.get(SERVER_KEY));
        return;
      case '903':
        this.send('CAP', 'END');
        return;
      case '902': case '904': case '905': case '906': case '908':
        this.info(`Login failed: ${p[p.length - 1]}`, this.buffers.get(SERVER_KEY), 'error');
        this.emit('loginfailed', p[p.length - 1]);
        if (!this.registered && msg.command !== '908') this.send('CAP', 'END');
        return;
      case '907':
        return;
      case '433': case '432': case '436':
        if (!this.registered) {
          this.nick = msg.command === '432' ? `web${Math.floor(Math.random() * 10000)}` : `${this.nick}_`;
          this.send('NICK', this.nick);
          return;
        }
        break;
      case '372': case '375': case '376': case '422':
        this.info(p[p.length - 1], this.buffers.get(SERVER_KEY));
        return;
      default:
        break;
    }
    const text = rest.join(' ');
    if (code >= 400 && code < 600) {
      this.info(text, undefined, 'error');
      if (['403', '471', '473', '474', '475', '476', '405'].includes(msg.command)) {
        this.switchTo.delete(this.key(p[1] ?? ''));
      }
    } else {
      this.info(text, this.buffers.get(SERVER_KEY));
    }
  }

  joinAfterRegistration() {
    const channels = new Set(this.autojoin);
    for (const b of this.buffers.values()) {
      if (b.kind === 'channel' && b.wanted) channels.add(b.name);
    }
    this.autojoin = [];
    const list = [...channels];
    for (let i = 0; i < list.length; i += 10) this.send('JOIN', list.slice(i, i + 10).join(','));
  }

  /** Asks for history: the latest page, or the page before the oldest message held. */
  requestHistory(buffer, which = 'BEFORE') {
    if (!this.registered || !this.hasHistory() || buffer.kind === 'server' || buffer.historyLoading) return false;
    if (which === 'BEFORE' && buffer.historyDone) return false;
    const limit = Math.min(this.historyPage, this.isupport.chathistory || this.historyPage);
    let ref = '*';
    if (which === 'BEFORE') {
      const oldest = buffer.messages.find((m) => m.msgid || m.fromServer);
      if (!oldest) return this.requestHistory(buffer, 'LATEST');
      ref = oldest.msgid ? `msgid=${oldest.msgid}` : `timestamp=${oldest.time.toISOString()}`;
    }
    buffer.historyLoading = which;
    buffer.historyLimit = limit;
    this.emit('history', { buffer, loading: true });
    this.send('CHATHISTORY', which, buffer.name, ref, String(limit));
    return true;
  }

  finishHistory(batch) {
    const target = batch.params[0];
    if (!target) return;
    const buffer = this.buffers.get(this.key(target));
    if (!buffer) return;
    const loaded = [];
    for (const msg of batch.messages) {
      if (msg.command !== 'PRIVMSG' && msg.command !== 'NOTICE') continue;
      const cm = this.chatMessage(msg);
      if (!cm) continue;
      cm.message.fromServer = true;
      cm.message.highlight = false;
      if (cm.message.msgid && buffer.msgids.has(cm.message.msgid)) continue;
      if (cm.message.msgid) buffer.msgids.add(cm.message.msgid);
      cm.message.id = ++this.seq;
      cm.message.history = true;
      loaded.push(cm.message);
    }
    const which = buffer.historyLoading;
    if (which === 'BEFORE' && batch.messages.length < (buffer.historyLimit ?? HISTORY_PAGE)) buffer.historyDone = true;
    if (which === 'LATEST' && batch.messages.length < (buffer.historyLimit ?? HISTORY_PAGE)) buffer.historyDone = true;
    buffer.historyLoading = false;
    if (loaded.length) {
      // A stable sort by time alone: lines with equal times keep the server's order,
      // and a page of history goes before what the buffer already held.
      buffer.messages = [...loaded, ...buffer.messages].sort((a, b) => a.time - b.time);
    }
    this.emit('history', { buffer, loading: false, added: loaded.length });
  }

  get handlers() {
    return HANDLERS;
  }

  // ---- outgoing: what the user typed -------------------------------------

  /** Carries out an action from parseInput. */
  execute(action) {
    if (!action) return;
    const active = this.buffers.get(this.activeKey);
    const needConn = () => {
      if (this.registered) return false;
      this.info('Not connected.', active, 'error');
      return true;
    };
    switch (action.type) {
      case 'say':
      case 'action':
      case 'notice': {
        if (needConn()) return;
        const pieces = action.type === 'action' ? [action.text] : splitText(action.text, TEXT_BYTES);
        for (const piece of pieces) {
          const body = action.type === 'action' ? `\x01ACTION ${piece}\x01` : piece;
          this.send(action.type === 'notice' ? 'NOTICE' : 'PRIVMSG', action.target, body);
          if (!this.caps.has('echo-message')) {
            const buffer = this.bufferFor(action.target);
            this.addMessage(buffer, {
              time: new Date(), kind: action.type === 'say' ? 'privmsg' : action.type,
              nick: this.nick, text: piece, self: true,
            });
          }
        }
        return;
      }
      case 'join':
        if (needConn()) return;
        if (action.channels.length) this.switchTo.add(this.key(action.channels[0]));
        this.send('JOIN', action.channels.join(','), ...(action.keys.length ? [action.keys.join(',')] : []));
        return;
      case 'part': {
        if (needConn()) return;
        const b = this.buffers.get(this.key(action.channel));
        if (b) b.wanted = false;
        this.send('PART', action.channel, ...(action.reason ? [action.reason] : []));
        return;
      }
      case 'query': {
        if (this.isChannel(action.nick)) {
          if (action.text) this.execute({ type: 'say', target: action.nick, text: action.text });
          return;
        }
        const b = this.bufferFor(action.nick);
        this.emit('open', b);
        if (!b.historyRequested && this.hasHistory()) {
          b.historyRequested = true;
          this.requestHistory(b, 'LATEST');
        }
        if (action.text) this.execute({ type: 'say', target: action.nick, text: action.text });
        return;
      }
      case 'nick':
        this.wantedNick = action.nick;
        if (this.registered) this.send('NICK', action.nick);
        return;
      case 'away':
        if (needConn()) return;
        this.send('AWAY', ...(action.message ? [action.message] : []));
        return;
      case 'topic':
        if (needConn()) return;
        this.send('TOPIC', action.channel, ...(action.topic !== null ? [action.topic] : []));
        if (action.topic === null) {
          const b = this.buffers.get(this.key(action.channel));
          this.info(b?.topic ? `Topic: ${b.topic}` : 'No topic set.', active);
        }
        return;
      case 'quit':
        this.close(action.message || 'Leaving');
        return;
      case 'raw':
        if (this.ws) this.ws.send(action.line.replace(/[\r\n\0]/g, ''));
        return;
      case 'close':
        if (active.kind === 'channel' && active.joined) this.execute({ type: 'part', channel: active.name, reason: '' });
        else this.removeBuffer(active.key);
        return;
      case 'help':
        this.info(HELP, active);
        return;
      case 'error':
        this.info(action.message, active, 'error');
        return;
      default:
        break;
    }
  }
}

function eventMessage(client, msg, kind, nick, text) {
  return { time: client.time(msg), kind, nick, text, msgid: msg.tags.msgid || '', self: client.isMe(nick) };
}

const HANDLERS = {
  PING(msg) {
    this.send('PONG', ...msg.params);
  },
  ERROR(msg) {
    this.info(msg.params[0] ?? 'Closed.', this.buffers.get(SERVER_KEY), 'error');
  },
  CAP(msg) {
    const [, sub, ...rest] = msg.params;
    switch ((sub || '').toUpperCase()) {
      case 'LS': {
        const more = rest.length > 1 && rest[0] === '*';
        for (const [k, v] of parseCapList(rest[rest.length - 1] ?? '')) this.offered.set(k, v);
        if (more) return;
        const req = chooseCaps(this.offered, { wantSasl: !!this.account });
        if (this.account && !req.includes('sasl')) {
          this.info('This server offers no SASL PLAIN login: continuing without logging in.',
            this.buffers.get(SERVER_KEY), 'error');
        }
        if (req.length) this.send('CAP', 'REQ', req.join(' '));
        else if (!this.registered) this.send('CAP', 'END');
        return;
      }
      case 'ACK': {
        for (const c of (rest[rest.length - 1] ?? '').split(' ')) {
          if (!c) continue;
          if (c.startsWith('-')) this.caps.delete(c.slice(1));
          else this.caps.add(c);
        }
        if (this.registered) return;
        if (this.caps.has('sasl') && this.account) this.send('AUTHENTICATE', 'PLAIN');
        else this.send('CAP', 'END');
        return;
      }
      case 'NAK':
        if (!this.registered) this.send('CAP', 'END');
        return;
      case 'NEW': {
        const added = parseCapList(rest[rest.length - 1] ?? '');
        for (const [k, v] of added) this.offered.set(k, v);
        const req = chooseCaps(added).filter((c) => !this.caps.has(c));
        if (req.length) this.send('CAP', 'REQ', req.join(' '));
        return;
      }
      case 'DEL':
        for (const c of (rest[rest.length - 1] ?? '').split(' ')) {
          this.caps.delete(c);
          this.offered.delete(c);
        }
        return;
      default:
        break;
    }
  },
  AUTHENTICATE(msg) {
    if (msg.params[0] === '+' && this.account) {
      for (const chunk of saslPlainChunks(this.account, this.password)) this.send('AUTHENTICATE', chunk);
    }
  },
  BATCH(msg) {
    const [refTok, type, ...params] = msg.params;
    if (!refTok) return;
    const ref = refTok.slice(1);
    if (refTok.startsWith('+')) {
      const parent = msg.tags.batch && this.batches.get(msg.tags.batch);
      this.batches.set(ref, { type, params, messages: [], history: parent?.history || /chathistory$/.test(type || '') });
    } else {
      const batch = this.batches.get(ref);
      this.batches.delete(ref);
      if (batch && /chathistory$/.test(batch.type || '')) this.finishHistory(batch);
    }
  },
  PRIVMSG(msg) {
    const cm = this.chatMessage(msg);
    if (!cm) return;
    const buffer = cm.bufferName ? this.bufferFor(cm.bufferName) : this.buffers.get(SERVER_KEY);
    if (buffer.kind === 'query' && !buffer.historyRequested && this.hasHistory() && !cm.message.self) {
      buffer.historyRequested = true;
      this.addMessage(buffer, cm.message);
      this.requestHistory(buffer, 'LATEST');
      return;
    }
    this.addMessage(buffer, cm.message);
  },
  NOTICE(msg) {
    HANDLERS.PRIVMSG.call(this, msg);
  },
  JOIN(msg) {
    const nick = parseSource(msg.source).nick;
    const [channel, account, realname] = msg.params;
    if (!channel) return;
    const b = this.bufferFor(channel);
    if (this.isMe(nick)) {
      b.joined = true;
      b.wanted = true;
      b.historyDone = false;
      b.members.clear();
      b.namesDone = false;
      this.emit('buffers');
      if (this.switchTo.delete(b.key)) this.emit('open', b);
      if (this.hasHistory()) this.requestHistory(b, 'LATEST');
    }
    const key = this.key(nick);
    if (!b.members.has(key)) b.members.set(key, { nick, prefixes: '', away: false });
    if (account && account !== '*') b.members.get(key).account = account;
    if (realname !== undefined) b.members.get(key).realname = realname;
    this.addMessage(b, eventMessage(this, msg, 'join', nick, ''));
    this.emit('members', b);
  },
  PART(msg) {
    const nick = parseSource(msg.source).nick;
    const [channel, reason = ''] = msg.params;
    const b = this.buffers.get(this.key(channel ?? ''));
    if (!b) return;
    if (this.isMe(nick)) {
      this.removeBuffer(b.key);
      return;
    }
    b.members.delete(this.key(nick));
    this.addMessage(b, eventMessage(this, msg, 'part', nick, reason));
    this.emit('members', b);
  },
  KICK(msg) {
    const by = parseSource(msg.source).nick;
    const [channel, nick, reason = ''] = msg.params;
    const b = this.buffers.get(this.key(channel ?? ''));
    if (!b || !nick) return;
    b.members.delete(this.key(nick));
    if (this.isMe(nick)) {
      b.joined = false;
      b.wanted = false;
      b.members.clear();
      this.emit('buffers');
    }
    this.addMessage(b, eventMessage(this, msg, 'kick', nick, `by ${by}${reason ? `: ${reason}` : ''}`));
    this.emit('members', b);
  },
  QUIT(msg) {
    const nick = parseSource(msg.source).nick;
    const key = this.key(nick);
    for (const b of this.buffers.values()) {
      if (b.members.delete(key)) {
        this.addMessage(b, eventMessage(this, msg, 'quit', nick, msg.params[0] ?? ''));
        this.emit('members', b);
      }
    }
  },
  NICK(msg) {
    const old = parseSource(msg.source).nick;
    const nick = msg.params[0];
    if (!nick) return;
    const oldKey = this.key(old);
    const me = this.isMe(old);
    if (me) {
      this.nick = nick;
      this.wantedNick = nick;
      this.emit('nick', nick);
      this.emit('status', { state: 'connected', text: `Connected as ${nick}` });
    }
    for (const b of this.buffers.values()) {
      const m = b.members.get(oldKey);
      if (m) {
        b.members.delete(oldKey);
        m.nick = nick;
        b.members.set(this.key(nick), m);
        this.addMessage(b, { ...eventMessage(this, msg, 'nick', old, nick), self: me });
        this.emit('members', b);
      }
    }
    const q = this.buffers.get(oldKey);
    if (q && q.kind === 'query' && !this.buffers.has(this.key(nick))) {
      this.buffers.delete(oldKey);
      q.key = this.key(nick);
      q.name = nick;
      this.buffers.set(q.key, q);
      if (this.activeKey === oldKey) this.activeKey = q.key;
      this.emit('buffers');
    }
    if (me) this.info(`You are now known as ${nick}.`, this.buffers.get(SERVER_KEY));
  },
  TOPIC(msg) {
    const nick = parseSource(msg.source).nick;
    const [channel, topic = ''] = msg.params;
    const b = this.buffers.get(this.key(channel ?? ''));
    if (!b) return;
    b.topic = topic;
    this.emit('topic', b);
    this.addMessage(b, eventMessage(this, msg, 'topic', nick, topic));
  },
  MODE(msg) {
    const [target, modes = '', ...args] = msg.params;
    if (!target || !this.isChannel(target)) return;
    const b = this.buffers.get(this.key(target));
    if (!b) return;
    for (const ch of prefixChanges(modes, args, this.isupport)) {
      const m = b.members.get(this.key(ch.nick));
      if (!m) continue;
      const set = new Set(m.prefixes);
      if (ch.add) set.add(ch.symbol);
      else set.delete(ch.symbol);
      m.prefixes = sortPrefixes([...set].join(''), this.isupport.prefixSymbols);
    }
    this.addMessage(b, eventMessage(this, msg, 'mode', parseSource(msg.source).nick, [modes, ...args].join(' ')));
    this.emit('members', b);
  },
  AWAY(msg) {
    const key = this.key(parseSource(msg.source).nick);
    const away = msg.params.length > 0;
    for (const b of this.buffers.values()) {
      const m = b.members.get(key);
      if (m && m.away !== away) {
        m.away = away;
        this.emit('members', b);
      }
    }
  },
  CHGHOST() {},
  SETNAME() {},
  FAIL(msg) {
    const [command, code, ...rest] = msg.params;
    const text = `${command} ${code}: ${rest[rest.length - 1] ?? ''}`;
    if (command === 'CHATHISTORY') {
      // FAIL CHATHISTORY <code> [<subcommand> <target> …] :text — stop loading that buffer (or all, when unnamed)
      const named = rest.slice(0, -1).map((p) => this.buffers.get(this.key(p))).find(Boolean);
      for (const b of named ? [named] : this.buffers.values()) {
        if (b.historyLoading) {
          b.historyLoading = false;
          b.historyDone = true;
          this.emit('history', { buffer: b, loading: false, added: 0 });
        }
      }
      this.info(text, this.buffers.get(SERVER_KEY), 'error');
      return;
    }
    this.info(text, undefined, 'error');
  },
};
