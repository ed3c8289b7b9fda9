// The page: wires the login form, the client and the DOM together.
// Builds every element with createElement/textContent (see render.js).

import { Client, SERVER_KEY } from './client.js';
import { parseInput } from './commands.js';
import { renderMessage, renderMember, renderBufferItem, spokenMessage } from './render.js';

const $ = (id) => document.getElementById(id);
const MAX_RENDERED = 2000;

/** Channels named in the address fragment: #parley or #a,#b (also "parley,other"). */
export function channelsFromHash(hash) {
  let raw = hash.replace(/^#/, '');
  try {
    raw = decodeURIComponent(raw);
  } catch {
    // keep it as it is
  }
  if (!raw) return [];
  return raw.split(',').map((c) => c.trim()).filter(Boolean).map((c) => (/^[#&]/.test(c) ? c : `#${c}`));
}

function wsUrl() {
  const u = new URL('irc', window.location.href);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.hash = '';
  u.search = '';
  return u.href;
}

let client = null;

/** localStorage, which a browser may refuse (private mode, storage disabled): then nothing is remembered. */
const store = {
  get(key) {
    try {
      return window.localStorage.getItem(key) || '';
    } catch {
      return '';
    }
  },
  set(key, value) {
    try {
      if (value) window.localStorage.setItem(key, value);
      else window.localStorage.removeItem(key);
    } catch {
      // not remembered
    }
  },
};

function start() {
  const form = $('login-form');
  const hashChannels = channelsFromHash(window.location.hash);
  $('channels').value = hashChannels.join(',') || '#parley';
  $('nick').value = store.get('parley.nick');
  $('account').value = store.get('parley.account');
  if ($('account').value) $('login-details').open = true;
  $('nick').focus();

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const nick = $('nick').value.trim();
    if (!/^[A-Za-z[\]\\`_^{|}][A-Za-z0-9[\]\\`_^{|}-]*$/.test(nick)) {
      $('login-error').textContent = 'Choose a nickname: a letter first, then letters, digits or _-[]\\`^{}|, no spaces.';
      $('nick').setAttribute('aria-invalid', 'true');
      $('nick').focus();
      return;
    }
    $('nick').removeAttribute('aria-invalid');
    const account = $('account').value.trim();
    const password = $('password').value;
    if (account && !password) {
      $('login-error').textContent = 'Enter the password for the account, or leave the account empty.';
      $('password').focus();
      return;
    }
    store.set('parley.nick', nick);
    store.set('parley.account', account);
    const channels = channelsFromHash('#' + $('channels').value.replace(/\s+/g, ''));
    $('password').value = '';
    openChat({ nick, account, password, channels });
  });
}

function openChat(options) {
  const historyPage = new URLSearchParams(window.location.search).get('history');
  client = new Client({ url: wsUrl(), historyPage, ...options });
  $('login').hidden = true;
  $('chat').hidden = false;
  wireChat();
  client.connect();
  renderAll();
  $('input').focus();
}

const active = () => client.buffers.get(client.activeKey);

function nearBottom(wrap) {
  return wrap.scrollHeight - wrap.scrollTop - wrap.clientHeight < 40;
}

function scrollToBottom() {
  const wrap = $('log-wrap');
  wrap.scrollTop = wrap.scrollHeight;
}

function renderBuffers() {
  const list = $('buffers');
  const items = [...client.buffers.values()].sort((a, b) => {
    const order = { server: 0, channel: 1, query: 2 };
    return order[a.kind] - order[b.kind] || a.name.toLowerCase().localeCompare(b.name.toLowerCase());
  });
  const focusedKey = document.activeElement?.dataset?.key;
  list.replaceChildren(...items.map((b) => renderBufferItem(document, b, b.key === client.activeKey)));
  if (focusedKey) list.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus();
  let total = 0;
  for (const b of client.buffers.values()) total += b.unread;
  document.title = `${total ? `(${total}) ` : ''}${active().name === 'Server' ? '' : `${active().name} – `}Parley chat`;
}

function renderHeader() {
  const b = active();
  $('buffer-title').textContent = b.name;
  $('topic').textContent = b.kind === 'channel' ? (b.topic || '') : '';
  $('topic').title = b.topic || '';
  $('input-label').textContent = b.kind === 'server' ? 'Command' : `Message ${b.name}`;
  $('input').placeholder = b.kind === 'server' ? '/join #channel' : `Message ${b.name}`;
  renderHistoryState();
}

function renderHistoryState() {
  const b = active();
  const can = client.hasHistory() && b.kind !== 'server';
  $('older').hidden = !can || b.historyDone || !!b.historyLoading;
  $('history-state').textContent = b.historyLoading ? 'Loading older messages…'
    : (can && b.historyDone && b.messages.length ? 'Beginning of history.' : '');
}

function renderMembers() {
  const b = active();
  const aside = $('members');
  const isChan = b.kind === 'channel';
  aside.hidden = !isChan;
  $('toggle-members').hidden = !isChan;
  if (!isChan) return;
  const members = client.sortedMembers(b);
  $('members-title').textContent = `Members (${members.length})`;
  $('member-list').replaceChildren(...members.map((m) => renderMember(document, m)));
}

function renderLog() {
  const b = active();
  const msgs = b.messages.slice(-MAX_RENDERED);
  $('log').replaceChildren(...msgs.map((m) => renderMessage(document, m)));
}

function renderAll() {
  renderBuffers();
  renderHeader();
  renderMembers();
  renderLog();
  scrollToBottom();
}

function switchTo(key, { focus = true } = {}) {
  if (!client.buffers.has(key)) return;
  client.setActive(key);
  renderAll();
  closePanels();
  if (focus) $('input').focus();
}

function closePanels() {
  for (const [panel, toggle] of [['sidebar', 'toggle-sidebar'], ['members', 'toggle-members']]) {
    $(panel).classList.remove('open');
    $(toggle).setAttribute('aria-expanded', 'false');
  }
}

function togglePanel(panel, toggle) {
  const open = !$(panel).classList.contains('open');
  closePanels();
  $(panel).classList.toggle('open', open);
  $(toggle).setAttribute('aria-expanded', String(open));
  if (open) {
    const target = $(panel).querySelector('[aria-current="true"]') ?? $(panel).querySelector('.buffer-button, .member-button, input');
    target?.focus();
  }
}

function loadOlder() {
  const b = active();
  if (client.requestHistory(b, 'BEFORE')) renderHistoryState();
}

function wireChat() {
  client.on((type, data) => {
    switch (type) {
      case 'buffers':
        if (!client.buffers.has(client.activeKey)) client.activeKey = SERVER_KEY;
        renderBuffers();
        if ($('buffer-title').textContent !== active().name) renderAll();
        break;
      case 'message': {
        const { buffer, message } = data;
        if (buffer.key !== client.activeKey) break;
        const wrap = $('log-wrap');
        const stick = nearBottom(wrap) || message.self;
        $('log').appendChild(renderMessage(document, message));
        while ($('log').childElementCount > MAX_RENDERED) $('log').firstElementChild.remove();
        if (stick) scrollToBottom();
        const spoken = message.self ? '' : spokenMessage(message, '');
        if (spoken) $('announce').textContent = spoken;
        break;
      }
      case 'history': {
        if (data.buffer.key !== client.activeKey) break;
        if (!data.loading) {
          const wrap = $('log-wrap');
          const fromBottom = wrap.scrollHeight - wrap.scrollTop;
          const wasNearBottom = nearBottom(wrap);
          renderLog();
          wrap.scrollTop = wasNearBottom ? wrap.scrollHeight : wrap.scrollHeight - fromBottom;
          if (data.added) $('announce').textContent = `${data.added} older messages loaded.`;
        }
        renderHistoryState();
        break;
      }
      case 'members':
        if (data.key === client.activeKey) renderMembers();
        break;
      case 'topic':
        if (data.key === client.activeKey) renderHeader();
        break;
      case 'open':
        switchTo(data.key, { focus: document.activeElement === $('input') || document.activeElement === document.body });
        break;
      case 'status':
        $('status').textContent = data.text;
        $('reconnect').hidden = !(data.state === 'waiting' || data.state === 'closed');
        $('reconnect').textContent = data.state === 'closed' ? 'Connect again' : 'Reconnect now';
        if (data.state === 'connected') renderHistoryState();
        break;
      default:
        break;
    }
  });

  $('input-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const input = $('input');
    const b = active();
    const action = parseInput(input.value, {
      target: b.kind === 'server' ? null : b.name,
      chantypes: client.isupport.chantypes,
    });
    if (input.value.trim()) {
      sent.push(input.value);
      if (sent.length > 100) sent.shift();
    }
    sentIndex = sent.length;
    input.value = '';
    client.execute(action);
  });

  // Up and Down recall what was sent; Tab completes a nick (and only then stays in the field).
  const sent = [];
  let sentIndex = 0;
  $('input').addEventListener('keydown', (ev) => {
    const input = $('input');
    if ((ev.key === 'ArrowUp' || ev.key === 'ArrowDown') && !ev.altKey && !ev.ctrlKey && !ev.metaKey) {
      if (ev.key === 'ArrowUp' && sentIndex > 0) sentIndex--;
      else if (ev.key === 'ArrowDown' && sentIndex < sent.length) sentIndex++;
      else return;
      ev.preventDefault();
      input.value = sent[sentIndex] ?? '';
      return;
    }
    if (ev.key === 'Tab' && !ev.shiftKey && input.selectionStart === input.value.length) {
      const m = /(\S+)$/.exec(input.value);
      if (!m) return;
      const word = m[1].toLowerCase();
      const match = client.sortedMembers(active()).map((x) => x.nick)
        .find((nick) => nick.toLowerCase().startsWith(word) && !client.isMe(nick));
      if (!match) return;
      ev.preventDefault();
      const atStart = m.index === 0;
      input.value = input.value.slice(0, m.index) + match + (atStart ? ': ' : ' ');
    }
  });

  $('join-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const value = $('join-input').value.trim();
    if (!value) return;
    $('join-input').value = '';
    client.execute(parseInput(`/join ${value}`, { chantypes: client.isupport.chantypes }));
  });

  $('buffers').addEventListener('click', (ev) => {
    const button = ev.target.closest('button[data-key]');
    if (button) switchTo(button.dataset.key);
  });

  $('member-list').addEventListener('click', (ev) => {
    const button = ev.target.closest('button[data-nick]');
    if (button && !client.isMe(button.dataset.nick)) client.execute({ type: 'query', nick: button.dataset.nick, text: '' });
  });

  $('log-wrap').addEventListener('scroll', () => {
    if ($('log-wrap').scrollTop < 30) loadOlder();
  }, { passive: true });
  $('older').addEventListener('click', loadOlder);
  $('reconnect').addEventListener('click', () => client.reconnectNow());
  $('toggle-sidebar').addEventListener('click', () => togglePanel('sidebar', 'toggle-sidebar'));
  $('toggle-members').addEventListener('click', () => togglePanel('members', 'toggle-members'));

  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && ($('sidebar').classList.contains('open') || $('members').classList.contains('open'))) {
      closePanels();
      $('input').focus();
    }
    if (ev.altKey && (ev.key === 'ArrowUp' || ev.key === 'ArrowDown')) {
      ev.preventDefault();
      const keys = [...$('buffers').querySelectorAll('button[data-key]')].map((b) => b.dataset.key);
      const i = keys.indexOf(client.activeKey);
      const next = keys[(i + (ev.key === 'ArrowUp' ? -1 : 1) + keys.length) % keys.length];
      if (next) switchTo(next);
    }
  });

  document.addEventListener('visibilitychange', () => {
    client.setVisible(document.visibilityState === 'visible');
  });

  window.addEventListener('hashchange', () => {
    const channels = channelsFromHash(window.location.hash);
    if (channels.length) client.execute({ type: 'join', channels, keys: [] });
  });
}

if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
  window.parleyClient = () => client;
}
