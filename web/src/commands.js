// The input line parser: turns what the user typed into an action for the client.
// Pure: no DOM, no sockets.

export const HELP = 'Commands: /join #chan[,#other] [key], /part [#chan] [reason], /msg nick text, '
  + '/query nick, /me action, /nick newnick, /away [message], /topic [text], /notice target text, '
  + '/quote raw line, /close, /quit [message]. Start a line with // to send a literal /.';

const hasChanPrefix = (name, chantypes) => chantypes.includes(name[0]);

/**
 * Parses one input line typed in the buffer `target` (null for the server buffer).
 * Returns one of:
 *   { type: 'say', target, text } | { type: 'action', target, text }
 *   { type: 'notice', target, text } | { type: 'join', channels, keys }
 *   { type: 'part', channel, reason } | { type: 'query', nick, text }
 *   { type: 'nick', nick } | { type: 'away', message } | { type: 'topic', channel, topic }
 *   { type: 'quit', message } | { type: 'raw', line } | { type: 'close' } | { type: 'help' }
 *   { type: 'error', message } | null (nothing to do)
 */
export function parseInput(input, { target = null, chantypes = '#&' } = {}) {
  const line = input.replace(/[\r\n]+/g, ' ');
  if (line.trim() === '') return null;
  if (!line.startsWith('/') || line.startsWith('//')) {
    const text = line.startsWith('//') ? line.slice(1) : line;
    if (!target) return { type: 'error', message: 'Join a channel or open a query to talk (/join #channel).' };
    return { type: 'say', target, text };
  }
  const m = /^\/(\S+)\s?(.*)$/.exec(line);
  const cmd = m[1].toLowerCase();
  const rest = m[2];
  const words = rest.split(' ').filter(Boolean);
  const needTarget = () => (target ? null
    : { type: 'error', message: `/${cmd} needs a channel or query open.` });
  switch (cmd) {
    case 'me':
      return needTarget() ?? { type: 'action', target, text: rest };
    case 'join':
    case 'j': {
      if (!words.length) return { type: 'error', message: 'Usage: /join #channel[,#other] [key]' };
      const channels = words[0].split(',').filter(Boolean)
        .map((c) => (hasChanPrefix(c, chantypes) ? c : '#' + c));
      return { type: 'join', channels, keys: words[1] ? words[1].split(',') : [] };
    }
    case 'part':
    case 'leave': {
      if (words[0] && hasChanPrefix(words[0], chantypes)) {
        return { type: 'part', channel: words[0], reason: words.slice(1).join(' ') };
      }
      if (!target || !hasChanPrefix(target, chantypes)) {
        return { type: 'error', message: 'Usage: /part #channel [reason]' };
      }
      return { type: 'part', channel: target, reason: rest };
    }
    case 'msg':
    case 'query':
    case 'q': {
      if (!words.length) return { type: 'error', message: `Usage: /${cmd} nick [text]` };
      const text = rest.replace(/^\S+\s?/, '');
      if (cmd === 'msg' && !text) return { type: 'error', message: 'Usage: /msg nick text' };
      return { type: 'query', nick: words[0], text };
    }
    case 'notice':
      if (words.length < 2) return { type: 'error', message: 'Usage: /notice target text' };
      return { type: 'notice', target: words[0], text: rest.replace(/^\S+\s?/, '') };
    case 'nick':
      if (words.length !== 1) return { type: 'error', message: 'Usage: /nick newnick' };
      return { type: 'nick', nick: words[0] };
    case 'away':
      return { type: 'away', message: rest };
    case 'back':
      return { type: 'away', message: '' };
    case 'topic': {
      let channel = target;
      let topic = rest;
      if (words[0] && hasChanPrefix(words[0], chantypes)) {
        channel = words[0];
        topic = rest.replace(/^\S+\s?/, '');
      }
      if (!channel || !hasChanPrefix(channel, chantypes)) {
        return { type: 'error', message: 'Usage: /topic [#channel] [new topic]' };
      }
      return { type: 'topic', channel, topic: topic === '' ? null : topic };
    }
    case 'quit':
      return { type: 'quit', message: rest };
    case 'quote':
    case 'raw':
      if (!rest) return { type: 'error', message: `Usage: /${cmd} COMMAND params` };
      return { type: 'raw', line: rest };
    case 'close':
      return { type: 'close' };
    case 'help':
      return { type: 'help' };
    default:
      return { type: 'error', message: `Unknown command /${cmd}. Type /help for the list.` };
  }
}
