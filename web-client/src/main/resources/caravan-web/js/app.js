// Caravan's web client: sign-in, the sidebar of rooms, presence, navigation and the connection to the server.
// It speaks only the public Rocket.Chat API: REST /api/v1 and DDP on /websocket.
import { Api } from './api.js';
import { Ddp } from './ddp.js';
import { h, clear } from './dom.js';
import { icon } from './icons.js';
import { openRoom, closeRoom, catchUpRoom, onPresenceChanged, roomSubscriptionChanged } from './room.js';
import { showDirectory, showAdmin, showCreateRoom, showDirectMessage } from './pages.js';

const STORAGE_KEY = 'caravan.auth';
export const STATUSES = ['online', 'away', 'busy', 'offline'];
const STATUS_CODES = ['offline', 'online', 'away', 'busy'];

export const ctx = {
  api: new Api(),
  ddp: null,
  me: null,
  settings: {},
  subs: new Map(),
  rooms: new Map(),
  presence: new Map(),
  offline: false,
  disconnectedAt: null,
  navigate,
  statusOf: (uid) => ctx.presence.get(uid) || 'offline',
  presenceDot,
  subscriptionOf: (rid) => [...ctx.subs.values()].find((sub) => sub.rid === rid),
  roomTitle,
  renderSidebar: () => renderSidebar(),
  watchPresence,
};

const root = document.getElementById('app');

async function boot() {
  await loadPublicSettings();
  const saved = readSavedAuth();
  if (saved) {
    ctx.api.auth = saved;
    try {
      const me = await ctx.api.get('me');
      await start(me, saved);
      return;
    } catch (error) {
      console.warn('cannot resume the session', error);
      if (error.status === 401) localStorage.removeItem(STORAGE_KEY);
      ctx.api.auth = null;
    }
  }
  showLogin();
}

function readSavedAuth() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) || 'null');
    return saved && saved.userId && saved.authToken ? saved : null;
  } catch {
    return null;
  }
}

async function loadPublicSettings() {
  try {
    const { settings } = await ctx.api.get('settings.public',
      { _id: 'Site_Name,Accounts_RegistrationForm,FileUpload_MaxFileSize,Show_Setup_Wizard', count: 50 });
    for (const setting of settings || []) ctx.settings[setting._id] = setting.value;
  } catch {
    // the defaults below
  }
  document.title = ctx.settings.Site_Name || 'Caravan';
}

function showLogin(message) {
  const error = h('p', { class: 'form-error', role: 'alert' }, message || '');
  const user = h('input', { id: 'login-user', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'card login', 'aria-labelledby': 'login-title' },
    h('img', { src: '/logo.svg', alt: '', class: 'logo', width: 56, height: 56 }),
    h('h1', { id: 'login-title' }, `Sign in to ${ctx.settings.Site_Name || 'Caravan'}`),
    h('label', { for: 'login-user' }, 'Username or e-mail'), user,
    h('label', { for: 'login-password' }, 'Password'), password,
    error, submit,
    ctx.settings.Accounts_RegistrationForm === 'Public'
      ? h('button', { type: 'button', class: 'link', onclick: showRegister }, 'Create an account') : null,
    // the server says "pending" while it has no administrator yet: then the note is open and says how to make one
    h('details', { class: 'setup-note', open: ctx.settings.Show_Setup_Wizard === 'pending' },
      h('summary', {}, ctx.settings.Show_Setup_Wizard === 'pending'
        ? 'This server has no administrator yet' : 'First start? Creating the administrator'),
      h('p', {}, 'A new server has no administrator. Start it once with ADMIN_USERNAME, ADMIN_PASS and ADMIN_EMAIL set ',
        '(for example ', h('code', {}, 'ADMIN_USERNAME=admin ADMIN_PASS=… ADMIN_EMAIL=admin@example.org java -jar …'),
        '), then sign in here with that name and password.')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.textContent = '';
    try {
      const { data } = await ctx.api.post('login', { user: user.value.trim(), password: password.value });
      const auth = { userId: data.userId, authToken: data.authToken };
      localStorage.setItem(STORAGE_KEY, JSON.stringify(auth));
      await start(data.me, auth);
    } catch (failure) {
      error.textContent = failure.status === 401 ? 'Wrong username or password.' : `Cannot sign in: ${failure.message}`;
      submit.disabled = false;
    }
  });
  clear(root).append(h('div', { class: 'center' }, form));
  user.focus();
}

function showRegister() {
  const fields = ['name', 'username', 'email', 'pass'].map((name) => h('input', {
    id: `register-${name}`, name, required: true, type: name === 'pass' ? 'password' : name === 'email' ? 'email' : 'text',
  }));
  const labels = { name: 'Name', username: 'Username', email: 'E-mail', pass: 'Password' };
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', { class: 'card login', 'aria-labelledby': 'register-title' },
    h('h1', { id: 'register-title' }, 'Create an account'),
    fields.map((field) => [h('label', { for: field.id }, labels[field.name]), field]),
    error, h('button', { type: 'submit', class: 'primary' }, 'Create account'),
    h('button', { type: 'button', class: 'link', onclick: () => showLogin() }, 'Back to sign in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = Object.fromEntries(fields.map((field) => [field.name, field.value]));
    try {
      await ctx.api.post('users.register', body);
      showLogin('Account created: sign in.');
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
  clear(root).append(h('div', { class: 'center' }, form));
}

async function start(me, auth) {
  ctx.me = me;
  ctx.api.auth = auth;
  // file and avatar links are authorised by these cookies, as Rocket.Chat's web client does
  document.cookie = `rc_uid=${encodeURIComponent(auth.userId)}; path=/; SameSite=Strict`;
  document.cookie = `rc_token=${encodeURIComponent(auth.authToken)}; path=/; SameSite=Strict`;
  renderShell();
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ddp = new Ddp(`${protocol}//${location.host}/websocket`);
  ctx.ddp = ddp;
  ddp.resumeToken = auth.authToken;
  ddp.onStatus(connectionChanged);
  ddp.onReconnect(catchUp);
  ddp.stream('stream-notify-user', `${me._id}/subscriptions-changed`, subscriptionChanged);
  ddp.stream('stream-notify-user', `${me._id}/rooms-changed`, roomChanged);
  ddp.stream('stream-notify-logged', 'user-status', userStatusChanged);
  ddp.start();
  ctx.presence.set(me._id, me.status || 'online');
  await loadRooms();
  route();
}

export async function logout() {
  try {
    await ctx.api.post('logout');
  } catch {
    // signed out locally whatever the server says
  }
  localStorage.removeItem(STORAGE_KEY);
  document.cookie = 'rc_uid=; path=/; max-age=0';
  document.cookie = 'rc_token=; path=/; max-age=0';
  if (ctx.ddp) ctx.ddp.stop();
  closeRoom();
  Object.assign(ctx, { ddp: null, me: null });
  ctx.subs.clear();
  ctx.rooms.clear();
  history.pushState(null, '', '/');
  showLogin();
}

function connectionChanged(status) {
  const banner = document.getElementById('connection');
  if (status === 'unauthorized') {
    logout();
    return;
  }
  ctx.offline = status !== 'connected';
  if (ctx.offline && !ctx.disconnectedAt) ctx.disconnectedAt = Date.now();
  if (banner) {
    banner.hidden = !ctx.offline;
    banner.textContent = ctx.offline ? 'Connection lost: reconnecting…' : '';
  }
  document.body.dataset.connection = status;
}

async function catchUp() {
  const since = new Date((ctx.disconnectedAt || Date.now()) - 5 * 60 * 1000);
  ctx.disconnectedAt = null;
  try {
    const { update, remove } = await ctx.api.get('subscriptions.get', { updatedSince: since.toISOString() });
    for (const sub of update || []) ctx.subs.set(sub._id, sub);
    for (const sub of remove || []) ctx.subs.delete(sub._id);
    const { update: rooms } = await ctx.api.get('rooms.get', { updatedSince: since.toISOString() });
    for (const room of rooms || []) ctx.rooms.set(room._id, room);
    renderSidebar();
    await loadPresence();
    await catchUpRoom(since);
    document.body.dataset.caughtUp = String(Date.now());
  } catch (error) {
    console.warn('catch-up failed', error);
  }
}

async function loadRooms() {
  const [{ update: subs }, { update: rooms }] = await Promise.all([ctx.api.get('subscriptions.get'), ctx.api.get('rooms.get')]);
  ctx.subs.clear();
  for (const sub of subs || []) ctx.subs.set(sub._id, sub);
  for (const room of rooms || []) ctx.rooms.set(room._id, room);
  renderSidebar();
  await loadPresence();
}

const watched = new Set();

/** Asks for the status of users not seen yet (authors, DM peers); user-status events keep them current. */
export async function watchPresence(uids) {
  const fresh = uids.filter((uid) => uid && !watched.has(uid));
  if (!fresh.length) return;
  for (const uid of fresh) watched.add(uid);
  try {
    const { users } = await ctx.api.get('users.presence', { ids: fresh.join(',') });
    for (const user of users || []) setPresence(user._id, user.status);
  } catch {
    // shown as offline until an event says otherwise
  }
}

async function loadPresence() {
  const peers = [...ctx.subs.values()].filter((sub) => sub.t === 'd').flatMap((sub) => ctx.rooms.get(sub.rid)?.uids || []);
  const uids = [...new Set([...peers, ...watched])];
  watched.clear();
  await watchPresence(uids);
}

function userStatusChanged(entry) {
  const [uid, , code, statusText] = entry || [];
  setPresence(uid, STATUS_CODES[code] || 'offline');
  if (uid === ctx.me?._id) {
    ctx.me.statusText = statusText || '';
    const text = document.getElementById('status-text');
    if (text && document.activeElement !== text) text.value = ctx.me.statusText;
  }
}

function setPresence(uid, status) {
  if (!uid) return;
  ctx.presence.set(uid, status || 'offline');
  for (const dot of document.querySelectorAll(`[data-presence="${CSS.escape(uid)}"]`)) paintDot(dot, status);
  if (uid === ctx.me?._id) {
    const select = document.getElementById('status-select');
    if (select && STATUSES.includes(status)) select.value = status;
  }
  onPresenceChanged(uid, status);
}

function presenceDot(uid) {
  const dot = h('span', { class: 'dot', role: 'img', 'data-presence': uid });
  paintDot(dot, ctx.statusOf(uid));
  return dot;
}

function paintDot(dot, status) {
  dot.className = `dot status-${status || 'offline'}`;
  dot.setAttribute('aria-label', status || 'offline');
  dot.title = status || 'offline';
}

function subscriptionChanged(action, sub) {
  if (action === 'removed') ctx.subs.delete(sub._id);
  else ctx.subs.set(sub._id, { ...(ctx.subs.get(sub._id) || {}), ...sub });
  renderSidebar();
  if (action !== 'removed') roomSubscriptionChanged(ctx.subs.get(sub._id));
  if (action !== 'removed' && sub.t === 'd') loadPresence();
}

function roomChanged(action, room) {
  if (action === 'removed') ctx.rooms.delete(room._id);
  else ctx.rooms.set(room._id, { ...(ctx.rooms.get(room._id) || {}), ...room });
  renderSidebar();
}

function roomTitle(rid) {
  const sub = ctx.subscriptionOf(rid);
  const room = ctx.rooms.get(rid);
  return (sub && (sub.fname || sub.name)) || (room && (room.fname || room.name)) || rid;
}

function renderShell() {
  const me = ctx.me;
  const select = h('select', { id: 'status-select', 'aria-label': 'Your status' },
    STATUSES.map((status) => h('option', { value: status }, status === 'offline' ? 'invisible' : status)));
  select.value = STATUSES.includes(me.status) ? me.status : 'online';
  const statusText = h('input', { id: 'status-text', 'aria-label': 'Status message', placeholder: 'Status message', value: me.statusText || '', maxlength: 120 });
  const saveStatus = async () => {
    try {
      await ctx.api.post('users.setStatus', { status: select.value, message: statusText.value });
    } catch (error) {
      alert(`Cannot set the status: ${error.message}`);
    }
  };
  select.addEventListener('change', saveStatus);
  statusText.addEventListener('change', saveStatus);
  const isAdmin = (me.roles || []).includes('admin');
  const shell = h('div', { class: 'shell', id: 'shell' },
    h('aside', { class: 'sidebar', 'aria-label': 'Rooms and account' },
      h('header', { class: 'me' },
        h('span', { class: 'avatar-wrap' }, h('img', { class: 'avatar', src: `/avatar/${encodeURIComponent(me.username)}`, alt: '', width: 36, height: 36 }), presenceDot(me._id)),
        h('div', { class: 'me-names' }, h('strong', {}, me.name || me.username), h('span', { class: 'muted' }, `@${me.username}`)),
        h('button', { type: 'button', class: 'icon', 'aria-label': 'Sign out', title: 'Sign out', onclick: logout }, icon('logout', 20))),
      h('div', { class: 'status-row' }, select, statusText),
      h('nav', { class: 'actions', 'aria-label': 'Actions' },
        h('button', { type: 'button', onclick: showCreateRoom }, '+ Room'),
        h('button', { type: 'button', onclick: showDirectMessage }, '+ Direct message'),
        h('a', { href: '/directory', 'data-nav': '' }, 'Directory'),
        isAdmin ? h('a', { href: '/admin', 'data-nav': '' }, 'Admin') : null),
      h('p', { id: 'connection', class: 'connection', role: 'status', hidden: true }),
      h('nav', { id: 'room-list', class: 'room-list', 'aria-label': 'Rooms' })),
    h('main', { id: 'main', class: 'main', tabindex: -1 }),
    h('aside', { id: 'side-panel', class: 'side-panel', hidden: true, 'aria-label': 'Side panel' }));
  clear(root).append(shell);
}

function renderSidebar() {
  const list = document.getElementById('room-list');
  if (!list) return;
  const current = currentRid();
  const open = [...ctx.subs.values()].filter((sub) => sub.open !== false);
  const sections = [['c', 'Channels'], ['p', 'Private groups'], ['d', 'Direct messages']];
  clear(list);
  for (const [type, title] of sections) {
    const subs = open.filter((sub) => (sub.t === type) || (type === 'c' && !['c', 'p', 'd'].includes(sub.t)))
      .sort((a, b) => roomTitle(a.rid).localeCompare(roomTitle(b.rid)));
    const headingId = `section-${type}`;
    list.append(h('section', { 'aria-labelledby': headingId },
      h('h2', { id: headingId }, title),
      subs.length ? h('ul', {}, subs.map((sub) => roomItem(sub, current))) : h('p', { class: 'muted empty' }, 'None yet')));
  }
  const unread = open.reduce((total, sub) => total + (sub.unread || 0), 0);
  document.title = `${unread ? `(${unread}) ` : ''}${ctx.settings.Site_Name || 'Caravan'}`;
}

function roomItem(sub, current) {
  const room = ctx.rooms.get(sub.rid);
  const name = roomTitle(sub.rid);
  const peer = sub.t === 'd' ? (room?.uids || []).find((uid) => uid !== ctx.me._id) : null;
  const mentions = (sub.userMentions || 0) + (sub.groupMentions || 0);
  const marker = sub.t === 'd'
    ? h('span', { class: 'avatar-wrap small' }, h('img', { class: 'avatar', src: `/avatar/${encodeURIComponent(sub.name)}`, alt: '', width: 20, height: 20 }), peer ? presenceDot(peer) : null)
    : h('span', { class: 'room-icon', 'aria-hidden': 'true' }, icon(sub.t === 'p' ? 'lock' : 'hash', 16));
  const label = [name, sub.unread ? `${sub.unread} unread` : '', mentions ? `${mentions} mention${mentions === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
  return h('li', {},
    h('a', {
      href: `/room/${sub.rid}`, 'data-nav': '', 'data-rid': sub.rid, class: `room-link${sub.alert || sub.unread ? ' unread' : ''}`,
      'aria-current': sub.rid === current ? 'page' : undefined, 'aria-label': label,
    },
    marker, h('span', { class: 'room-name' }, name),
    mentions ? h('span', { class: 'badge mention', 'aria-hidden': 'true' }, `@${mentions}`) : null,
    sub.unread ? h('span', { class: 'badge', 'aria-hidden': 'true' }, String(sub.unread)) : null));
}

function currentRid() {
  const match = location.pathname.match(/^\/room\/([^/]+)/);
  return match ? decodeURIComponent(match[1]) : null;
}

export function navigate(path) {
  if (location.pathname !== path) history.pushState(null, '', path);
  route();
}

function route() {
  if (!ctx.me) return;
  const shell = document.getElementById('shell');
  const main = document.getElementById('main');
  const rid = currentRid();
  shell.classList.toggle('in-room', location.pathname !== '/');
  renderSidebar();
  if (rid) {
    openRoom(rid, main);
    return;
  }
  closeRoom();
  if (location.pathname === '/directory') showDirectory(main);
  else if (location.pathname === '/admin') showAdmin(main);
  else clear(main).append(h('div', { class: 'welcome' },
    h('img', { src: '/logo.svg', alt: '', width: 72, height: 72 }),
    h('h1', {}, `Welcome to ${ctx.settings.Site_Name || 'Caravan'}, ${ctx.me.name || ctx.me.username}`),
    h('p', { class: 'muted' }, 'Pick a room on the left, start a direct message, or browse the directory.')));
}

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-nav]');
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
});
window.addEventListener('popstate', route);

boot();
