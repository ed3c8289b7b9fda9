#!/usr/bin/env node
// End-to-end test of the web chat page against a running IRC server that serves
// the page over HTTP and IRC over WebSocket at /irc, plus plain IRC over TCP.
//
// Usage:
//   node e2e/chat.e2e.mjs <http-url> <irc-tcp-port> <screenshot.png> [--irc-host HOST]
//                         [--chromium PATH] [--timeout MS] [--history-lines N]
//   e.g. node e2e/chat.e2e.mjs http://127.0.0.1:8080/ 6667 target/web-chat.png
//
// Two browser pages (two users) and one raw TCP IRC client join one fresh
// channel. The TCP client first says N numbered lines (--history-lines, default
// 30); the first page must show the latest of them on join (the server's replay
// and CHATHISTORY LATEST, ten a page) and, as its log is scrolled to the top,
// load the older ones (CHATHISTORY BEFORE) until it holds all N, in order and
// once each. N must exceed what a join brings (Parley replays 20 by default). Then messages go
// every way between the three, /me and a private message are checked, and a
// message holding markup must show as text and run nothing. A screenshot is
// saved (also on failure). Exit status 0 on success, 1 on failure, 2 on bad usage.
// Chromium is the system's (/usr/bin/chromium); no browser is downloaded.

import net from 'node:net';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { chromium } from 'playwright-core';

function usage(message) {
  if (message) console.error(`chat.e2e: ${message}`);
  console.error('usage: node e2e/chat.e2e.mjs <http-url> <irc-tcp-port> <screenshot.png> '
    + '[--irc-host HOST] [--chromium PATH] [--timeout MS] [--history-lines N]');
  process.exit(2);
}

function parseArgs(argv) {
  const positional = [];
  const opts = { ircHost: null, chromium: process.env.CHROMIUM || '/usr/bin/chromium', timeout: 15000, historyLines: 30 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === '--irc-host') opts.ircHost = value();
    else if (a === '--chromium') opts.chromium = value();
    else if (a === '--timeout') opts.timeout = Number(value());
    else if (a === '--history-lines') opts.historyLines = Number(value());
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length !== 3) usage('expected three arguments');
  if (!(opts.timeout > 0)) usage('--timeout needs a positive number of milliseconds');
  if (!Number.isInteger(opts.historyLines) || opts.historyLines < 2) usage('--history-lines needs a whole number of at least 2');
  const [url, port, screenshot] = positional;
  let pageUrl;
  try {
    pageUrl = new URL(url);
  } catch {
    usage(`not a URL: ${url}`);
  }
  const ircPort = Number(port);
  if (!Number.isInteger(ircPort) || ircPort < 1 || ircPort > 65535) usage(`not a port: ${port}`);
  return { pageUrl, ircPort, screenshot: resolve(screenshot), ...opts, ircHost: opts.ircHost || pageUrl.hostname };
}

const args = parseArgs(process.argv.slice(2));
const T = args.timeout;
const tag = Math.random().toString(36).slice(2, 7);
const CHANNEL = `#e2e${tag}`;
const NICK_A = `wa${tag}`;
const NICK_B = `wb${tag}`;
const NICK_T = `tc${tag}`;
const HISTORY_LINES = args.historyLines;
const PAGE = 10;
const XSS = '<img src=x onerror=window.__xss=1>';

const log = (...m) => console.log('chat.e2e:', ...m);

class Failure extends Error {}

function fail(message) {
  throw new Failure(message);
}

// ---- a raw IRC client over TCP ---------------------------------------------

class TcpIrc {
  constructor(host, port) {
    this.host = host;
    this.port = port;
    this.lines = [];
    this.waiters = new Set();
    this.buf = '';
  }

  connect() {
    return new Promise((resolvePromise, reject) => {
      this.sock = net.createConnection({ host: this.host, port: this.port }, resolvePromise);
      this.sock.setEncoding('utf8');
      this.sock.once('error', reject);
      this.sock.on('data', (chunk) => {
        this.buf += chunk;
        let nl;
        while ((nl = this.buf.indexOf('\n')) >= 0) {
          const line = this.buf.slice(0, nl).replace(/\r$/, '');
          this.buf = this.buf.slice(nl + 1);
          if (/^(?:@\S+ )?PING /.test(line)) this.send(line.replace(/^(?:@\S+ )?PING/, 'PONG'));
          this.lines.push(line);
          for (const w of this.waiters) w();
        }
      });
    });
  }

  send(line) {
    this.sock.write(`${line}\r\n`);
  }

  /** Waits for a line (seen since `from`, an index into this.lines) matching the predicate. */
  waitFor(what, predicate, from = 0, timeout = T) {
    return new Promise((resolvePromise, reject) => {
      const check = () => {
        for (let i = from; i < this.lines.length; i++) {
          if (predicate(this.lines[i])) {
            this.waiters.delete(check);
            clearTimeout(timer);
            resolvePromise(this.lines[i]);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Failure(`TCP client ${NICK_T} did not receive ${what} within ${timeout} ms; `
          + `last lines:\n  ${this.lines.slice(-8).join('\n  ')}`));
      }, timeout);
      this.waiters.add(check);
      check();
    });
  }

  mark() {
    return this.lines.length;
  }

  close() {
    try {
      this.send('QUIT :done');
      this.sock.end();
    } catch {
      // already closed
    }
  }
}

const cmdOf = (line) => line.replace(/^@\S+ /, '').replace(/^:\S+ /, '').split(' ');
const isPrivmsgFrom = (nick, target, text) => (line) => {
  const stripped = line.replace(/^@\S+ /, '');
  return stripped.startsWith(`:${nick}!`) && new RegExp(`^:\\S+ PRIVMSG ${target.replace(/[#]/g, '\\#')} :?`, 'i').test(stripped)
    && stripped.slice(stripped.indexOf(' ', stripped.indexOf('PRIVMSG ') + 8) + 1).replace(/^:/, '') === text;
};

// ---- the browser pages -----------------------------------------------------

function pageAddress() {
  const u = new URL(args.pageUrl.href);
  u.searchParams.set('history', String(PAGE));
  u.hash = CHANNEL;
  return u.href;
}

async function openUser(browser, nick) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 640 } });
  const page = await context.newPage();
  page.setDefaultTimeout(T);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // console errors (a script served with the wrong type, a refused WebSocket) are printed on failure
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('requestfailed', (r) => consoleErrors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.consoleErrors = consoleErrors;
  page.on('dialog', (d) => {
    errors.push(`unexpected dialog: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.errors = errors;
  page.nick = nick;
  let response;
  try {
    response = await page.goto(pageAddress());
  } catch (e) {
    fail(`cannot open ${pageAddress()}: ${e.message.split('\n')[0]}`);
  }
  if (!response || !response.ok()) fail(`GET ${pageAddress()} answered ${response ? response.status() : 'nothing'}`);
  await page.getByLabel('Nickname').fill(nick);
  const channels = await page.getByLabel('Channels').inputValue();
  if (channels !== CHANNEL) fail(`the page read channels "${channels}" from the link, expected "${CHANNEL}"`);
  await page.getByRole('button', { name: 'Connect' }).click();
  await waitForText(page, '#buffer-title', CHANNEL, `${nick} to open ${CHANNEL}`);
  return page;
}

async function waitForText(page, selector, text, what, timeout = T) {
  try {
    await page.waitForFunction(([sel, t]) => {
      const el = document.querySelector(sel);
      return el && el.textContent.includes(t);
    }, [selector, text], { timeout });
  } catch {
    const actual = await page.evaluate((sel) => document.querySelector(sel)?.textContent ?? '(missing)', selector)
      .catch(() => '(page gone)');
    fail(`waiting for ${what}: "${text}" did not appear in ${selector} of ${page.nick}'s page within ${timeout} ms; `
      + `it holds: ${actual.slice(-600)}`);
  }
}

/** Waits until a message from `nick` with exactly `text` is in the page's log, shown as text. */
async function waitForMessage(page, nick, text, what) {
  try {
    await page.waitForFunction(([n, t]) => [...document.querySelectorAll('#log li')].some((li) => {
      const body = li.querySelector('.body');
      return body && body.querySelector('.nick')?.textContent === n && body.textContent.endsWith(t);
    }), [nick, text], { timeout: T });
  } catch {
    const lines = await page.evaluate(() => [...document.querySelectorAll('#log li')].slice(-8)
      .map((li) => li.textContent)).catch(() => []);
    fail(`${what}: ${page.nick}'s page did not show "${nick}: ${text}" within ${T} ms; last lines:\n  ${lines.join('\n  ')}`);
  }
}

async function say(page, text) {
  const input = page.locator('#input');
  await input.fill(text);
  await input.press('Enter');
}

/** The numbers of the "history line N" messages in the page's log, in the order shown. */
async function historyNumbers(page) {
  return (await logTexts(page)).filter((t) => /history line \d+$/.test(t)).map((t) => Number(t.split(' ').pop()));
}

/** Fails unless the numbers are exactly from, from + 1, …, HISTORY_LINES. */
function checkHistory(numbers, from) {
  const expected = [];
  for (let i = from; i <= HISTORY_LINES; i++) expected.push(i);
  if (numbers.join() !== expected.join()) {
    fail(`history lines shown out of order, repeated or missing: expected ${from}–${HISTORY_LINES}, got ${numbers.join(', ')}`);
  }
}

async function logTexts(page) {
  return page.evaluate(() => [...document.querySelectorAll('#log li .body')].map((b) => b.textContent));
}

// ---- the scenario ----------------------------------------------------------

const steps = [];
let current = 'start';
async function step(name, fn) {
  current = name;
  log(`step: ${name}`);
  await fn();
  steps.push(name);
}

async function main() {
  const tcp = new TcpIrc(args.ircHost, args.ircPort);
  let browser;
  let pageA;
  let pageB;
  try {
    await step(`TCP client ${NICK_T} joins ${CHANNEL} and says ${HISTORY_LINES} lines`, async () => {
      try {
        await tcp.connect();
      } catch (e) {
        fail(`cannot connect to IRC at ${args.ircHost}:${args.ircPort}: ${e.message}`);
      }
      tcp.send(`NICK ${NICK_T}`);
      tcp.send(`USER ${NICK_T} 0 * :e2e tcp client`);
      await tcp.waitFor('001 (welcome)', (l) => cmdOf(l)[0] === '001');
      tcp.send(`JOIN ${CHANNEL}`);
      await tcp.waitFor(`its JOIN ${CHANNEL}`, (l) => cmdOf(l)[0] === 'JOIN' && l.includes(`:${NICK_T}!`));
      for (let i = 1; i <= HISTORY_LINES; i++) tcp.send(`PRIVMSG ${CHANNEL} :history line ${i}`);
      // a round trip, so that every line above has been handled (and stored) before the pages come
      tcp.send(`PING :sync${tag}`);
      await tcp.waitFor('PONG', (l) => cmdOf(l)[0] === 'PONG' && l.includes(`sync${tag}`), 0, T + HISTORY_LINES * 1000);
    });

    await step('browser starts', async () => {
      try {
        browser = await chromium.launch({
          executablePath: args.chromium,
          headless: true,
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
            '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
        });
      } catch (e) {
        fail(`cannot start Chromium at ${args.chromium}: ${e.message.split('\n')[0]}`);
      }
    });

    await step(`${NICK_A} opens the page from the link and joins`, async () => {
      pageA = await openUser(browser, NICK_A);
      await waitForText(pageA, '#member-list', NICK_T, `${NICK_T} in ${NICK_A}'s member list`);
    });

    await step('the latest history is shown on join', async () => {
      await waitForMessage(pageA, NICK_T, `history line ${HISTORY_LINES}`, 'latest history');
      await pageA.waitForFunction(() => !document.getElementById('history-state').textContent.startsWith('Loading'));
      const numbers = await historyNumbers(pageA);
      if (numbers.includes(1)) {
        fail(`all ${HISTORY_LINES} history lines arrived on join, so loading older ones cannot be tested; `
          + 'pass a larger --history-lines than the server replays on join');
      }
      checkHistory(numbers, numbers[0] ?? HISTORY_LINES);
      log(`  lines ${numbers[0]}–${HISTORY_LINES} shown on join`);
    });

    await step('scrolling to the top loads older history (CHATHISTORY BEFORE)', async () => {
      const rounds = Math.ceil(HISTORY_LINES / PAGE) + 2;
      for (let round = 0; round < rounds; round++) {
        if ((await historyNumbers(pageA)).includes(1)) break;
        await pageA.evaluate(() => {
          const wrap = document.getElementById('log-wrap');
          wrap.scrollTop = 0;
          wrap.dispatchEvent(new Event('scroll'));
        });
        await pageA.waitForTimeout(50);
        await pageA.waitForFunction(() => !document.getElementById('history-state').textContent.startsWith('Loading'));
      }
      await waitForMessage(pageA, NICK_T, 'history line 1', 'the oldest line after scrolling up');
      checkHistory(await historyNumbers(pageA), 1);
    });

    await step(`${NICK_B} opens the page and joins`, async () => {
      pageB = await openUser(browser, NICK_B);
      await waitForText(pageB, '#member-list', NICK_A, `${NICK_A} in ${NICK_B}'s member list`);
      await waitForText(pageA, '#member-list', NICK_B, `${NICK_B} in ${NICK_A}'s member list`);
    });

    await step('a message from page A reaches page B and the TCP client', async () => {
      const from = tcp.mark();
      await say(pageA, `hello from ${NICK_A}`);
      await waitForMessage(pageA, NICK_A, `hello from ${NICK_A}`, 'own message');
      await waitForMessage(pageB, NICK_A, `hello from ${NICK_A}`, 'A to B');
      await tcp.waitFor(`"hello from ${NICK_A}"`, isPrivmsgFrom(NICK_A, CHANNEL, `hello from ${NICK_A}`), from);
    });

    await step('a message from page B reaches page A and the TCP client', async () => {
      const from = tcp.mark();
      await say(pageB, `hello from ${NICK_B}`);
      await waitForMessage(pageA, NICK_B, `hello from ${NICK_B}`, 'B to A');
      await tcp.waitFor(`"hello from ${NICK_B}"`, isPrivmsgFrom(NICK_B, CHANNEL, `hello from ${NICK_B}`), from);
    });

    await step('a message from the TCP client reaches both pages', async () => {
      tcp.send(`PRIVMSG ${CHANNEL} :hello from ${NICK_T}`);
      await waitForMessage(pageA, NICK_T, `hello from ${NICK_T}`, 'TCP to A');
      await waitForMessage(pageB, NICK_T, `hello from ${NICK_T}`, 'TCP to B');
    });

    await step('/me sends a CTCP ACTION', async () => {
      const from = tcp.mark();
      await say(pageB, '/me waves');
      await tcp.waitFor('ACTION waves', isPrivmsgFrom(NICK_B, CHANNEL, '\x01ACTION waves\x01'), from);
      await waitForText(pageA, '#log', `* ${NICK_B} waves`, 'the action on page A');
    });

    await step('markup in a message is shown as text and runs nothing', async () => {
      tcp.send(`PRIVMSG ${CHANNEL} :${XSS}`);
      await say(pageA, XSS);
      for (const page of [pageA, pageB]) {
        await waitForMessage(page, NICK_T, XSS, 'markup from the TCP client');
        await waitForMessage(page, NICK_A, XSS, 'markup from page A');
        const visible = await page.locator('#log li .body', { hasText: XSS }).first().isVisible();
        if (!visible) fail(`the markup message is not visible as text on ${page.nick}'s page`);
        await page.waitForTimeout(300); // an onerror handler would have fired by now
        const state = await page.evaluate(() => ({
          xss: typeof window.__xss,
          images: document.querySelectorAll('#log img, #members img, #buffers img').length,
        }));
        if (state.xss !== 'undefined') fail(`window.__xss was set on ${page.nick}'s page: the markup ran`);
        if (state.images) fail(`${state.images} <img> element(s) were created from message text on ${page.nick}'s page`);
      }
    });

    await step('a private message opens a query on page A, and the reply reaches the TCP client', async () => {
      tcp.send(`PRIVMSG ${NICK_A} :psst ${NICK_A}`);
      const nav = pageA.getByRole('navigation', { name: 'Conversations' });
      const query = nav.getByRole('button', { name: new RegExp(`^${NICK_T}, 1 unread`) });
      try {
        await query.waitFor();
      } catch {
        fail(`no query button with one unread message for ${NICK_T} in ${NICK_A}'s conversation list`);
      }
      await query.click();
      await waitForText(pageA, '#buffer-title', NICK_T, 'the query buffer');
      await waitForMessage(pageA, NICK_T, `psst ${NICK_A}`, 'the private message');
      const from = tcp.mark();
      await say(pageA, 'psst back');
      await tcp.waitFor('the private reply', isPrivmsgFrom(NICK_A, NICK_T, 'psst back'), from);
      await nav.getByRole('button', { name: new RegExp(`^${CHANNEL}`) }).click();
      await waitForText(pageA, '#buffer-title', CHANNEL, 'back to the channel');
    });

    await step('no script errors on either page', async () => {
      for (const page of [pageA, pageB]) {
        if (page.errors.length) fail(`errors on ${page.nick}'s page: ${page.errors.join('; ')}`);
      }
    });

    await step(`screenshot to ${args.screenshot}`, async () => {
      mkdirSync(dirname(args.screenshot), { recursive: true });
      await pageA.screenshot({ path: args.screenshot, fullPage: true });
    });
    log(`ok: ${steps.length} steps passed`);
    return 0;
  } catch (e) {
    const message = e instanceof Failure ? e.message : (e.stack || String(e));
    console.error(`chat.e2e: FAILED at step "${current}": ${message}`);
    for (const page of [pageA, pageB]) {
      if (page?.errors?.length) console.error(`chat.e2e: errors on ${page.nick}'s page: ${page.errors.join('; ')}`);
      if (page?.consoleErrors?.length) {
        console.error(`chat.e2e: console of ${page.nick}'s page:\n  ${page.consoleErrors.slice(-10).join('\n  ')}`);
      }
    }
    const page = pageB && current.includes('B') ? pageB : pageA;
    if (page) {
      try {
        mkdirSync(dirname(args.screenshot), { recursive: true });
        await page.screenshot({ path: args.screenshot, fullPage: true });
        console.error(`chat.e2e: screenshot of the failure saved to ${args.screenshot}`);
      } catch {
        // nothing more to save
      }
    }
    return 1;
  } finally {
    tcp.close();
    if (browser) await browser.close().catch(() => {});
  }
}

const guard = setTimeout(() => {
  console.error(`chat.e2e: FAILED: gave up after ${(T * 12) / 1000} s at step "${current}"`);
  process.exit(1);
}, T * 12 + HISTORY_LINES * 1000);
guard.unref();

process.exitCode = await main();
