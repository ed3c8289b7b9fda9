// CAP and ISUPPORT (RPL_ISUPPORT 005) handling. Pure functions, no DOM.

/** Capabilities the page asks for when the server offers them. */
export const WANTED_CAPS = [
  'server-time', 'message-tags', 'batch', 'echo-message', 'away-notify',
  'account-tag', 'multi-prefix', 'draft/chathistory', 'chathistory', 'extended-join',
  'userhost-in-names', 'setname', 'chghost', 'cap-notify',
];

/**
 * Parses the capability list of a CAP LS / NEW reply: "sasl=PLAIN,SCRAM-SHA-256 batch"
 * becomes Map { sasl => 'PLAIN,SCRAM-SHA-256', batch => '' }.
 */
export function parseCapList(text) {
  const caps = new Map();
  for (const word of text.split(' ')) {
    if (!word) continue;
    const eq = word.indexOf('=');
    caps.set(eq < 0 ? word : word.slice(0, eq), eq < 0 ? '' : word.slice(eq + 1));
  }
  return caps;
}

/**
 * Chooses what to CAP REQ from what the server offers. `sasl` is asked for only
 * when the user gave an account and the server offers PLAIN (or lists no mechanisms).
 */
export function chooseCaps(offered, { wantSasl = false } = {}) {
  const req = WANTED_CAPS.filter((c) => offered.has(c));
  if (wantSasl && offered.has('sasl')) {
    const mechs = offered.get('sasl');
    if (!mechs || mechs.split(',').includes('PLAIN')) req.push('sasl');
  }
  return req;
}

/** Default ISUPPORT values, as RFC 1459 servers behave. */
export function defaultIsupport() {
  return {
    prefixModes: 'ov',
    prefixSymbols: '@+',
    chantypes: '#&',
    casemapping: 'rfc1459',
    chanmodes: ['beI', 'k', 'l', 'imnpst'],
    chathistory: 0,
    network: '',
    raw: {},
  };
}

/** Applies the tokens of one RPL_ISUPPORT line (params between the nick and the trailing text). */
export function applyIsupport(state, tokens) {
  for (const token of tokens) {
    const negate = token.startsWith('-');
    const eq = token.indexOf('=');
    const key = (eq < 0 ? token : token.slice(0, eq)).replace(/^-/, '').toUpperCase();
    const value = eq < 0 ? '' : token.slice(eq + 1).replace(/\\x([0-9a-fA-F]{2})/g,
      (_, h) => String.fromCharCode(parseInt(h, 16)));
    if (negate) {
      delete state.raw[key];
      continue;
    }
    state.raw[key] = value;
    switch (key) {
      case 'PREFIX': {
        const m = /^\(([^)]*)\)(.*)$/.exec(value);
        if (m && m[1].length === m[2].length) {
          state.prefixModes = m[1];
          state.prefixSymbols = m[2];
        } else if (value === '') {
          state.prefixModes = '';
          state.prefixSymbols = '';
        }
        break;
      }
      case 'CHANTYPES': state.chantypes = value; break;
      case 'CASEMAPPING': state.casemapping = value.toLowerCase(); break;
      case 'CHANMODES': state.chanmodes = value.split(',').concat(['', '', '', '']).slice(0, 4); break;
      case 'CHATHISTORY': state.chathistory = parseInt(value, 10) || 0; break;
      case 'NETWORK': state.network = value; break;
      default: break;
    }
  }
  return state;
}

/**
 * Splits a NAMES entry into its prefix symbols and nick, handling multi-prefix
 * ("@+alice") and userhost-in-names ("alice!a@host").
 */
export function parseNamesEntry(entry, prefixSymbols) {
  let i = 0;
  while (i < entry.length && prefixSymbols.includes(entry[i])) i++;
  const prefixes = entry.slice(0, i);
  const rest = entry.slice(i);
  const bang = rest.indexOf('!');
  const at = rest.indexOf('@');
  const cut = bang >= 0 ? bang : at;
  return { prefixes, nick: cut >= 0 ? rest.slice(0, cut) : rest };
}

/** Sorts a set of prefix symbols by rank (highest first). */
export function sortPrefixes(symbols, prefixSymbols) {
  return [...new Set(symbols)].filter((c) => prefixSymbols.includes(c))
    .sort((a, b) => prefixSymbols.indexOf(a) - prefixSymbols.indexOf(b)).join('');
}

/**
 * Walks a channel MODE change and returns the prefix changes in it as
 * [{ add, symbol, nick }]. Parameters of other modes are consumed by their CHANMODES type.
 */
export function prefixChanges(modeString, args, isupport) {
  const changes = [];
  let add = true;
  let argIndex = 0;
  const [typeA, typeB, typeC] = isupport.chanmodes;
  for (const c of modeString) {
    if (c === '+' || c === '-') {
      add = c === '+';
      continue;
    }
    const p = isupport.prefixModes.indexOf(c);
    if (p >= 0) {
      const nick = args[argIndex++];
      if (nick !== undefined) changes.push({ add, symbol: isupport.prefixSymbols[p], nick });
    } else if (typeA.includes(c) || typeB.includes(c) || (add && typeC.includes(c))) {
      argIndex++;
    }
  }
  return changes;
}
