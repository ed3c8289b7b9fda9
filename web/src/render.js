// DOM builders for messages, members and buffers. Server data only ever goes
// into the page as text (textContent, createTextNode) or as a checked http(s)
// link target: never as markup. `doc` is the document (tests pass a fake).

const URL_RE = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** Local time as HH:MM. */
export function formatTime(date) {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

function el(doc, tag, className, text) {
  const e = doc.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Appends text to a parent, turning http(s) URLs into links; everything else stays text. */
export function appendText(doc, parent, text) {
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    if (match.index > last) parent.appendChild(doc.createTextNode(text.slice(last, match.index)));
    const a = el(doc, 'a', '', match[0]);
    a.setAttribute('href', match[0]);
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer');
    parent.appendChild(a);
    last = match.index + match[0].length;
  }
  if (last < text.length) parent.appendChild(doc.createTextNode(text.slice(last)));
  return parent;
}

/** One line of the log: a list item holding time, who and what. */
export function renderMessage(doc, m) {
  const li = el(doc, 'li', `msg msg-${m.kind}${m.self ? ' self' : ''}${m.highlight ? ' highlight' : ''}`);
  li.dataset.id = String(m.id);
  if (m.msgid) li.dataset.msgid = m.msgid;
  const time = el(doc, 'time', 'ts', formatTime(m.time));
  time.setAttribute('datetime', m.time.toISOString());
  time.setAttribute('title', m.time.toLocaleString());
  li.appendChild(time);
  li.appendChild(doc.createTextNode(' '));
  const body = el(doc, 'span', 'body');
  switch (m.kind) {
    case 'privmsg':
      body.appendChild(el(doc, 'span', 'nick', m.nick));
      body.appendChild(el(doc, 'span', 'sep', ': '));
      appendText(doc, body, m.text);
      break;
    case 'notice':
      body.appendChild(el(doc, 'span', 'nick', `-${m.nick}-`));
      body.appendChild(doc.createTextNode(' '));
      appendText(doc, body, m.text);
      break;
    case 'action':
      body.appendChild(doc.createTextNode('* '));
      body.appendChild(el(doc, 'span', 'nick', m.nick));
      body.appendChild(doc.createTextNode(' '));
      appendText(doc, body, m.text);
      break;
    case 'join':
      body.textContent = `→ ${m.nick} joined`;
      break;
    case 'part':
      body.textContent = `← ${m.nick} left${m.text ? ` (${m.text})` : ''}`;
      break;
    case 'quit':
      body.textContent = `← ${m.nick} quit${m.text ? ` (${m.text})` : ''}`;
      break;
    case 'kick':
      body.textContent = `← ${m.nick} was kicked ${m.text}`;
      break;
    case 'nick':
      body.textContent = `${m.nick} is now known as ${m.text}`;
      break;
    case 'topic':
      body.textContent = `${m.nick} set the topic: ${m.text}`;
      break;
    case 'mode':
      body.textContent = `${m.nick} sets mode ${m.text}`;
      break;
    default:
      appendText(doc, body, m.text);
      break;
  }
  li.appendChild(body);
  return li;
}

/** What a screen reader hears for a new message. */
export function spokenMessage(m, bufferName) {
  const where = bufferName ? ` in ${bufferName}` : '';
  switch (m.kind) {
    case 'privmsg': return `${m.nick}${where}: ${m.text}`;
    case 'action': return `${m.nick}${where} ${m.text}`;
    case 'notice': return `Notice from ${m.nick}${where}: ${m.text}`;
    default: return '';
  }
}

/** A member of a channel: a button that opens a query. */
export function renderMember(doc, member) {
  const li = el(doc, 'li', `member${member.away ? ' away' : ''}`);
  const b = el(doc, 'button', 'member-button');
  b.type = 'button';
  const prefix = member.prefixes ? member.prefixes[0] : '';
  b.appendChild(el(doc, 'span', 'prefix', prefix));
  b.appendChild(doc.createTextNode(member.nick));
  b.dataset.nick = member.nick;
  const roles = { '~': 'owner', '&': 'admin', '@': 'operator', '%': 'half-operator', '+': 'voiced' };
  const extra = [roles[prefix], member.away ? 'away' : ''].filter(Boolean).join(', ');
  b.setAttribute('aria-label', `${member.nick}${extra ? `, ${extra}` : ''}: open a private conversation`);
  li.appendChild(b);
  return li;
}

/** A buffer in the sidebar: a button with its unread count. */
export function renderBufferItem(doc, buffer, active) {
  const li = el(doc, 'li', `buffer buffer-${buffer.kind}${buffer.kind === 'channel' && !buffer.joined ? ' parted' : ''}`);
  const b = el(doc, 'button', 'buffer-button');
  b.type = 'button';
  b.dataset.key = buffer.key;
  b.appendChild(el(doc, 'span', 'buffer-name', buffer.name));
  let label = buffer.name;
  if (buffer.unread) {
    const badge = el(doc, 'span', `badge${buffer.mentions ? ' mention' : ''}`, String(buffer.unread));
    badge.setAttribute('aria-hidden', 'true');
    b.appendChild(badge);
    label += `, ${buffer.unread} unread${buffer.mentions ? `, ${buffer.mentions} for you` : ''}`;
  }
  b.setAttribute('aria-label', label);
  if (active) b.setAttribute('aria-current', 'true');
  li.appendChild(b);
  return li;
}
