// IRC message parsing and formatting (modern.ircdocs.horse, IRCv3 message-tags).
// Pure functions: no DOM, no sockets.

const TAG_UNESCAPE = { ':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n' };

/** Unescapes an IRCv3 tag value. A trailing lone backslash is dropped; `\x` becomes `x`. */
export function unescapeTagValue(value) {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    i++;
    if (i >= value.length) break;
    const e = value[i];
    out += TAG_UNESCAPE[e] ?? e;
  }
  return out;
}

/** Escapes a tag value for sending. */
export function escapeTagValue(value) {
  return String(value).replace(/[\\; \r\n]/g, (c) =>
    ({ '\\': '\\\\', ';': '\\:', ' ': '\\s', '\r': '\\r', '\n': '\\n' })[c]);
}

/**
 * Parses one IRC line (without CR LF) into { tags, source, command, params }.
 * `source` is null when absent; `command` is upper-cased; tags map names to
 * unescaped values ('' for a tag without a value). Returns null for an empty line.
 */
export function parseLine(line) {
  line = line.replace(/[\r\n]+$/, '');
  let i = 0;
  const n = line.length;
  const tags = {};
  const skipSpaces = () => {
    while (i < line.length && line[i] === ' ') i++;
  };
  if (line[i] === '@') {
    const end = line.indexOf(' ', i);
    const raw = line.slice(1, end < 0 ? n : end);
    for (const part of raw.split(';')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      const key = eq < 0 ? part : part.slice(0, eq);
      tags[key] = eq < 0 ? '' : unescapeTagValue(part.slice(eq + 1));
    }
    i = end < 0 ? line.length : end;
    skipSpaces();
  }
  let source = null;
  if (line[i] === ':') {
    const end = line.indexOf(' ', i);
    source = line.slice(i + 1, end < 0 ? line.length : end);
    i = end < 0 ? line.length : end;
    skipSpaces();
  }
  const params = [];
  let command = '';
  while (i < line.length) {
    if (line[i] === ':' && command) {
      params.push(line.slice(i + 1));
      break;
    }
    let end = line.indexOf(' ', i);
    if (end < 0) end = line.length;
    const word = line.slice(i, end);
    if (!command) command = word.toUpperCase();
    else params.push(word);
    i = end;
    skipSpaces();
  }
  if (!command) return null;
  return { tags, source, command, params };
}

/** Splits a source `nick!user@host` into its parts (missing parts are ''). */
export function parseSource(source) {
  if (!source) return { nick: '', user: '', host: '' };
  const bang = source.indexOf('!');
  const at = source.indexOf('@', bang < 0 ? 0 : bang);
  if (bang < 0 && at < 0) return { nick: source, user: '', host: '' };
  const nickEnd = bang >= 0 ? bang : at;
  return {
    nick: source.slice(0, nickEnd),
    user: bang >= 0 ? source.slice(bang + 1, at < 0 ? undefined : at) : '',
    host: at >= 0 ? source.slice(at + 1) : '',
  };
}

const FORBIDDEN = /[\0\r\n]/g;

/**
 * Formats a message for sending. Parameters lose any NUL, CR or LF (so one
 * call can never become two lines); the last one gets a ':' when it needs one.
 * Only the last parameter may contain spaces.
 */
export function formatLine({ tags = {}, command, params = [] }) {
  let out = '';
  const tagParts = Object.entries(tags).map(([k, v]) =>
    v === '' || v === true || v == null ? k : `${k}=${escapeTagValue(v)}`);
  if (tagParts.length) out += '@' + tagParts.join(';') + ' ';
  out += command;
  params.forEach((p, idx) => {
    const clean = String(p).replace(FORBIDDEN, ' ');
    const last = idx === params.length - 1;
    if (last && (clean === '' || clean.includes(' ') || clean.startsWith(':'))) {
      out += ' :' + clean;
    } else {
      out += ' ' + clean.replace(/ /g, '');
    }
  });
  return out;
}

/** UTF-8 byte length of a string. */
export function utf8Length(s) {
  return new TextEncoder().encode(s).length;
}

/**
 * Splits text into pieces of at most maxBytes UTF-8 bytes, preferring to break
 * at a space and never splitting a code point.
 */
export function splitText(text, maxBytes) {
  const pieces = [];
  let rest = text;
  while (utf8Length(rest) > maxBytes) {
    let bytes = 0;
    let cut = 0;
    for (const ch of rest) {
      const len = utf8Length(ch);
      if (bytes + len > maxBytes) break;
      bytes += len;
      cut += ch.length;
    }
    const space = rest.lastIndexOf(' ', cut);
    if (space > cut / 2) cut = space;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, '');
  }
  pieces.push(rest);
  return pieces;
}

/** True when a target names a channel, given the CHANTYPES prefix characters. */
export function isChannel(target, chantypes = '#&') {
  return target.length > 0 && chantypes.includes(target[0]);
}

/** Case-folds a nick or channel name for comparison under the given CASEMAPPING. */
export function fold(name, casemapping = 'rfc1459') {
  let s = name.toLowerCase();
  if (casemapping === 'rfc1459' || casemapping === 'strict-rfc1459') {
    s = s.replace(/[[\]\\~]/g, (c) => ({ '[': '{', ']': '}', '\\': '|', '~': '^' })[c]);
    if (casemapping === 'strict-rfc1459') s = s.replace(/\^/g, '~');
  }
  return s;
}

/** CTCP ACTION (/me): returns the action text, or null when the message is not one. */
export function parseAction(text) {
  const m = /^\x01ACTION(?: (.*?))?\x01?$/.exec(text);
  return m ? (m[1] ?? '') : null;
}
