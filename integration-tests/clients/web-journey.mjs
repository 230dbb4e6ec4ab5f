// Two people use Caravan's web client in headless Chromium (Debian's chromium package, driven by playwright-core):
// sign-in, a channel and an invitation, live messages with a mention picked from the autocomplete, typing, unread
// badges, a reaction, a thread reply and following, an edit and a delete, a pin, an image upload, presence, and a
// server restart after which both clients reconnect and catch up. Screenshots of the main screens go to <shots>.
//
// node web-journey.mjs <baseUrl> <adminUser> <adminPass> <shots>
// When it prints "restart-server", whoever runs it restarts the server and writes a line to its stdin.
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { ok, restClient, run } from './lib.mjs';

const [base, adminUser, adminPass, shots = 'screenshots'] = process.argv.slice(2);
const TIMEOUT = 30000;
const stdinLines = createInterface({ input: process.stdin });
const lines = [];
let waiting = null;
stdinLines.on('line', (line) => {
  if (waiting) waiting(line);
  else lines.push(line);
  waiting = null;
});
const nextLine = () => (lines.length ? Promise.resolve(lines.shift()) : new Promise((resolve) => { waiting = resolve; }));

run(async () => {
  mkdirSync(shots, { recursive: true });
  const { rest, login } = restClient(base);
  const admin = await login(adminUser, adminPass);
  const stamp = Date.now().toString(36);
  const people = {};
  for (const name of ['ann', 'ben']) {
    const username = `${name}-${stamp}`;
    const { user } = await rest('/api/v1/users.create', {
      method: 'POST', auth: admin,
      body: { username, name: name === 'ann' ? 'Ann Archer' : 'Ben Baker', email: `${username}@caravan.test`, password: `${name}-pass-1`, verified: true },
    });
    people[name] = { username, password: `${name}-pass-1`, id: user._id };
  }
  ok('users-created', `${people.ann.username} ${people.ben.username}`);

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const problems = [];
  const pages = [];
  const origin = new URL(base).host;
  async function person(name, viewport = { width: 1280, height: 800 }) {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    pages.push([name, page]);
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (!['data:', 'blob:'].includes(url.protocol) && url.host !== origin) problems.push(`${name} asked an outside host: ${request.url()}`);
    });
    page.on('pageerror', (error) => problems.push(`${name} page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Uncaught/.test(message.text())) problems.push(`${name} console: ${message.text()}`);
    });
    return page;
  }
  try {
    const ann = await person('ann');
    const ben = await person('ben');

    // sign-in: a wrong password is refused, the right one opens the client; a reload stays signed in
    await ann.goto(base);
    await ann.locator('#login-user').fill(people.ann.username);
    await ann.locator('#login-password').fill('wrong');
    await ann.screenshot({ path: `${shots}/01-login.png` });
    await ann.getByRole('button', { name: 'Sign in' }).click();
    await ann.getByRole('alert').filter({ hasText: 'Wrong username or password' }).waitFor();
    await signIn(ann, people.ann);
    await ann.reload();
    await ann.locator('#status-select').waitFor();
    ok('login', 'a wrong password is refused; the resume token survives a reload');
    await signIn(ben, people.ben);

    // Ann creates a channel and adds Ben, who sees it appear in his sidebar
    const channel = `web-${stamp}`;
    await ann.getByRole('button', { name: '+ Room' }).click();
    await ann.locator('#room-name').fill(channel);
    await ann.getByRole('button', { name: 'Create', exact: true }).click();
    await ann.getByRole('heading', { name: channel, level: 1 }).waitFor();
    const rid = ann.url().split('/room/')[1];
    ann.once('dialog', (dialog) => dialog.accept(people.ben.username));
    await ann.getByRole('button', { name: 'Add people' }).click();
    const benLink = ben.locator(`a.room-link[data-rid="${rid}"]`);
    await benLink.waitFor();
    ok('channel-created-and-invited', channel);

    // a message Ben has not read: his sidebar shows it unread; opening the room reads it
    await send(ann, 'hello **ben**, welcome to :tada:');
    await ben.waitForFunction((id) => /[1-9][0-9]* unread/.test(document.querySelector(`a.room-link[data-rid="${id}"]`)?.getAttribute('aria-label') || ''), rid, { timeout: TIMEOUT });
    await ben.screenshot({ path: `${shots}/02-sidebar-unread.png` });
    await benLink.click();
    await messageWith(ben, 'welcome to').locator('strong', { hasText: 'ben' }).waitFor();
    await ben.waitForFunction((id) => !/unread/.test(document.querySelector(`a.room-link[data-rid="${id}"]`)?.getAttribute('aria-label') || 'unread'), rid, { timeout: TIMEOUT });
    ok('message-live-and-read', 'markdown rendered, unread badge shown then cleared');

    // Ben types: Ann sees him typing; he mentions her through the autocomplete
    await ben.locator('#composer').pressSequentially(`hi @${people.ann.username.slice(0, -2)}`, { delay: 30 });
    await ann.locator('#typing', { hasText: `${people.ben.username} is typing` }).waitFor();
    await ben.locator(`#mention-list li[data-username="${people.ann.username}"]`).click();
    await ben.locator('#composer').pressSequentially('good to see you');
    await ben.locator('#composer').press('Enter');
    const benMessage = messageWith(ann, 'good to see you');
    await benMessage.locator('.mention', { hasText: `@${people.ann.username}` }).waitFor();
    await ann.waitForFunction(() => document.querySelector('#typing').textContent === '', null, { timeout: TIMEOUT });
    ok('typing-and-mention', 'typing shown and cleared; mention picked from the autocomplete');

    // reactions both ways
    await benMessage.hover();
    await benMessage.getByRole('button', { name: 'Add reaction' }).click();
    await ann.getByRole('menuitem', { name: 'React with +1' }).click();
    await messageWith(ben, 'good to see you').locator('.reaction[data-emoji=":+1:"]', { hasText: '1' }).waitFor();
    ok('reaction', 'seen live by the other');

    // a thread: Ann replies to Ben's message, Ben sees the reply count and the reply; Ann follows and unfollows
    await benMessage.hover();
    await benMessage.getByRole('button', { name: 'Reply in thread' }).click();
    await ann.locator('#thread-composer').fill('a reply in the thread');
    await ann.locator('#thread-composer').press('Enter');
    await ann.locator('#thread-list .msg', { hasText: 'a reply in the thread' }).waitFor();
    await ann.screenshot({ path: `${shots}/03-thread.png` });
    const summary = messageWith(ben, 'good to see you').locator('.thread-summary', { hasText: '1 reply' });
    await summary.click();
    await ben.locator('#thread-list .msg', { hasText: 'a reply in the thread' }).waitFor();
    await ann.locator('#thread-follow[aria-pressed="true"]').waitFor();
    await ann.locator('#thread-follow').click();
    await ann.locator('#thread-follow[aria-pressed="false"]').waitFor();
    await ann.getByRole('button', { name: 'Close thread' }).click();
    await ben.getByRole('button', { name: 'Close thread' }).click();
    ok('thread', 'reply seen live, count shown, follow toggled');

    // edit and delete, seen live on the other side
    const annMessage = messageWith(ann, 'welcome to');
    await annMessage.hover();
    await annMessage.getByRole('button', { name: 'Edit' }).click();
    await ann.getByRole('textbox', { name: 'Edit message' }).fill('hello everyone, welcome to the channel');
    await ann.getByRole('textbox', { name: 'Edit message' }).press('Enter');
    await messageWith(ben, 'hello everyone, welcome to the channel').locator('.edited').waitFor();
    await send(ann, 'this one was a mistake');
    const mistake = messageWith(ben, 'this one was a mistake');
    await mistake.waitFor();
    ann.once('dialog', (dialog) => dialog.accept());
    await messageWith(ann, 'this one was a mistake').hover();
    await messageWith(ann, 'this one was a mistake').getByRole('button', { name: 'Delete' }).click();
    await mistake.waitFor({ state: 'detached' });
    ok('edit-and-delete', 'both seen live');

    // pin: Ann (the owner) pins her message, Ben finds it among the pinned
    await messageWith(ann, 'welcome to the channel').hover();
    await messageWith(ann, 'welcome to the channel').getByRole('button', { name: 'Pin', exact: true }).click();
    await messageWith(ben, 'welcome to the channel').locator('[aria-label="pinned"]').waitFor();
    await ben.getByRole('button', { name: 'Pinned' }).click();
    await ben.locator('#side-panel .msg', { hasText: 'welcome to the channel' }).waitFor();
    await ben.getByRole('button', { name: 'Close', exact: true }).click();
    ok('pin', 'listed among the pinned messages');

    // an image upload: Ben sees the preview, and the image loads through the client's cookies
    await ann.locator('#file-input').setInputFiles({ name: 'sunrise.png', mimeType: 'image/png', buffer: png(320, 200) });
    const image = ben.locator('.attachment.image img').last();
    await image.waitFor();
    await ben.waitForFunction(() => {
      const img = [...document.querySelectorAll('.attachment.image img')].pop();
      return img && img.complete && img.naturalWidth > 0;
    }, null, { timeout: TIMEOUT });
    ok('image-upload', 'preview shown and loaded on the other side');
    // Ben reads along: what arrives in the open room leaves no unread badge
    await ben.waitForFunction((id) => !/unread/.test(document.querySelector(`a.room-link[data-rid="${id}"]`)?.getAttribute('aria-label') || 'unread'), rid, { timeout: TIMEOUT });
    await ben.screenshot({ path: `${shots}/04-room.png` });

    // presence: Ann goes away, Ben's dot for her turns away; then back online
    const annDot = ben.locator(`[data-presence="${people.ann.id}"]`).first();
    await ben.waitForFunction((id) => document.querySelector(`[data-presence="${id}"]`)?.classList.contains('status-online'), people.ann.id, { timeout: TIMEOUT });
    await ann.locator('#status-select').selectOption('away');
    await ben.waitForFunction((id) => document.querySelector(`[data-presence="${id}"]`)?.classList.contains('status-away'), people.ann.id, { timeout: TIMEOUT });
    ok('presence', `Ben sees Ann ${await annDot.getAttribute('aria-label')}`);
    await ann.locator('#status-select').selectOption('online');

    // the directory and the admin page
    await ben.goto(`${base}/directory`);
    await ben.locator('#directory-results li', { hasText: channel }).waitFor();
    await ben.screenshot({ path: `${shots}/05-directory.png` });
    const adminPage = await person('admin');
    await signIn(adminPage, { username: adminUser, password: adminPass });
    await adminPage.getByRole('link', { name: 'Admin' }).click();
    await adminPage.locator(`#admin-users tr[data-username="${people.ann.username}"]`).waitFor();
    await adminPage.locator('#setting-Site_Name').waitFor();
    await adminPage.screenshot({ path: `${shots}/06-admin.png` });
    await adminPage.context().close();
    ok('directory-and-admin');
    await ben.goto(`${base}/room/${rid}`);
    await messageWith(ben, 'welcome to the channel').waitFor();

    // the server restarts: both clients say so, reconnect, and catch up on what was said meanwhile
    console.log('restart-server');
    await Promise.all([ann, ben].map((page) => page.waitForFunction(() => document.body.dataset.connection !== 'connected', null, { timeout: 120000 })));
    await nextLine();
    const annRest = await login(people.ann.username, people.ann.password);
    await rest('/api/v1/chat.sendMessage', { method: 'POST', auth: annRest, body: { message: { rid, msg: 'said while you were away' } } });
    await Promise.all([ann, ben].map((page) => page.waitForFunction(() => document.body.dataset.connection === 'connected', null, { timeout: 120000 })));
    await messageWith(ben, 'said while you were away').waitFor({ timeout: 60000 });
    await send(ben, 'back online');
    await messageWith(ann, 'back online').waitFor();
    ok('reconnect-and-catch-up', 'both reconnected; the missed message arrived; live again');

    // a long history: the newest page first, older pages as one scrolls up, under a day separator
    for (let i = 1; i <= 60; i++) {
      await rest('/api/v1/chat.sendMessage', { method: 'POST', auth: annRest, body: { message: { rid, msg: `line ${i} of the history` } } });
    }
    await messageWith(ben, 'line 60 of the history').waitFor();
    await ben.reload();
    await messageWith(ben, 'line 60 of the history').waitFor();
    await ben.waitForFunction(() => {
      const scroller = document.querySelector('.room .messages');
      scroller.scrollTop = 0;
      scroller.dispatchEvent(new Event('scroll'));
      return [...document.querySelectorAll('#message-list .msg')].some((item) => item.textContent.includes('line 1 of the history'));
    }, null, { timeout: TIMEOUT, polling: 500 });
    await ben.locator('#message-list .day-separator', { hasText: 'Today' }).first().waitFor();
    ok('history-paging', 'older messages loaded by scrolling up');

    // a phone-sized screen: the room alone, with a way back to the list
    await ben.setViewportSize({ width: 390, height: 844 });
    await ben.getByRole('link', { name: 'Back to rooms' }).waitFor();
    await ben.screenshot({ path: `${shots}/07-phone-room.png` });
    await ben.getByRole('link', { name: 'Back to rooms' }).click();
    await benLink.waitFor();
    await ben.screenshot({ path: `${shots}/08-phone-rooms.png` });
    ok('phone-layout');

    // sign out: back to the sign-in form, and a reload stays signed out
    await ann.getByRole('button', { name: 'Sign out' }).click();
    await ann.locator('#login-user').waitFor();
    await ann.reload();
    await ann.locator('#login-user').waitFor();
    ok('logout');
    if (problems.length) throw new Error(problems.join('\n'));
    ok('no-outside-requests-no-page-errors');
  } catch (error) {
    for (const [name, page] of pages) {
      await page.screenshot({ path: `${shots}/failure-${name}.png` }).catch(() => {});
      const links = await page.evaluate(() => [...document.querySelectorAll('a.room-link')].map((a) => a.getAttribute('aria-label')).join(' | ')).catch(() => '');
      console.log(`${name} at ${page.url()}: rooms ${links}`);
    }
    throw error;
  } finally {
    await browser.close();
    stdinLines.close();
  }
});

async function signIn(page, { username, password }) {
  await page.goto(base);
  await page.locator('#login-user').fill(username);
  await page.locator('#login-password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#status-select').waitFor();
  await page.waitForFunction(() => document.body.dataset.connection === 'connected', null, { timeout: TIMEOUT });
}

async function send(page, text) {
  await page.locator('#composer').fill(text);
  await page.locator('#composer').press('Enter');
  await messageWith(page, text.replace(/\*/g, '').split(',')[0]).waitFor();
}

function messageWith(page, text) {
  return page.locator('#message-list .msg', { hasText: text });
}

/** A small PNG (a diagonal line), enough for the server to make a thumbnail of it. */
function png(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buffer) => {
    let c = 0xffffffff;
    for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3, 0xff);
    row[0] = 0;
    const x = Math.floor((y * width) / height);
    row[1 + x * 3] = 0x1d;
    row[2 + x * 3] = 0x6a;
    row[3 + x * 3] = 0xe5;
    rows.push(row);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}
