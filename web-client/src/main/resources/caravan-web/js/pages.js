// The pages beside the rooms: creating a room or a direct message, the directory, and the admin page.
import { ctx } from './app.js';
import { h, clear } from './dom.js';
import { icon } from './icons.js';

function dialog(title, fields, submitLabel, onSubmit) {
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', { method: 'dialog' },
    h('h2', { id: 'dialog-title' }, title), fields, error,
    h('div', { class: 'dialog-buttons' },
      h('button', { type: 'button', onclick: () => box.close() }, 'Cancel'),
      h('button', { type: 'submit', class: 'primary' }, submitLabel)));
  const box = h('dialog', { class: 'card', 'aria-labelledby': 'dialog-title' }, form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      await onSubmit();
      box.close();
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
  box.addEventListener('close', () => box.remove());
  document.body.append(box);
  box.showModal();
  return box;
}

const field = (id, label, attributes = {}) => [h('label', { for: id }, label), h('input', { id, name: id, ...attributes })];
const usernames = (text) => text.split(/[\s,]+/).map((name) => name.replace(/^@/, '')).filter(Boolean);

export function showCreateRoom() {
  const [nameLabel, name] = field('room-name', 'Name', { required: true, pattern: '[\\w.\\-]+', title: 'letters, digits, - _ .' });
  const [membersLabel, members] = field('room-members', 'Members (usernames, comma separated)');
  const privateBox = h('input', { type: 'checkbox', id: 'room-private' });
  dialog('Create a room', [nameLabel, name, membersLabel, members,
    h('label', { class: 'check' }, privateBox, ' Private group (only invited people see it)')], 'Create', async () => {
    const path = privateBox.checked ? 'groups.create' : 'channels.create';
    const answer = await ctx.api.post(path, { name: name.value.trim(), members: usernames(members.value) });
    const room = answer.channel || answer.group;
    ctx.rooms.set(room._id, room);
    ctx.navigate(`/room/${room._id}`);
  });
}

export function showDirectMessage() {
  const [label, username] = field('dm-username', 'Username', { required: true });
  dialog('Start a direct message', [label, username], 'Open', async () => {
    const { room } = await ctx.api.post('im.create', { username: username.value.trim().replace(/^@/, '') });
    ctx.rooms.set(room._id || room.rid, { ...room, _id: room._id || room.rid });
    ctx.navigate(`/room/${room._id || room.rid}`);
  });
}

export function showDirectory(main) {
  const search = h('input', { id: 'directory-search', type: 'search', 'aria-label': 'Search', placeholder: 'Search' });
  const type = h('select', { id: 'directory-type', 'aria-label': 'What to find' },
    h('option', { value: 'channels' }, 'Channels'), h('option', { value: 'users' }, 'People'));
  const results = h('ul', { class: 'directory-results', id: 'directory-results', 'aria-live': 'polite' });
  clear(main).append(h('section', { class: 'page', 'aria-labelledby': 'directory-title' },
    h('header', { class: 'room-header' }, h('a', { href: '/', 'data-nav': '', class: 'back icon', 'aria-label': 'Back to rooms' }, icon('back', 20)),
      h('h1', { id: 'directory-title' }, 'Directory')),
    h('div', { class: 'page-body' }, h('div', { class: 'search-row' }, type, search), results)));
  const initial = new URLSearchParams(location.search).get('user');
  if (initial) {
    type.value = 'users';
    search.value = initial;
  }
  let timer;
  const load = async () => {
    try {
      const { result } = await ctx.api.get('directory', { type: type.value, text: search.value, count: 50, sort: JSON.stringify({ name: 1 }) });
      clear(results);
      if (!result?.length) results.append(h('li', { class: 'muted' }, 'Nothing found'));
      for (const entry of result || []) results.append(type.value === 'users' ? userEntry(entry) : channelEntry(entry));
      ctx.watchPresence((result || []).map((entry) => (type.value === 'users' ? entry._id : null)));
    } catch (error) {
      clear(results).append(h('li', { class: 'form-error' }, error.message));
    }
  };
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(load, 250);
  });
  type.addEventListener('change', load);
  load();
  search.focus();
}

function channelEntry(room) {
  const joined = !!ctx.subscriptionOf(room._id);
  return h('li', { class: 'directory-entry' },
    h('span', { class: 'room-icon', 'aria-hidden': 'true' }, icon(room.t === 'p' ? 'lock' : 'hash')),
    h('div', {}, h('strong', {}, room.fname || room.name), h('p', { class: 'muted' }, `${room.usersCount || 0} members${room.topic ? ` · ${room.topic}` : ''}`)),
    joined ? h('a', { href: `/room/${room._id}`, 'data-nav': '', class: 'button' }, 'Open')
      : h('button', {
        type: 'button', class: 'primary', 'aria-label': `Join ${room.name}`, onclick: async () => {
          try {
            await ctx.api.post('channels.join', { roomId: room._id });
            ctx.rooms.set(room._id, room);
            ctx.navigate(`/room/${room._id}`);
          } catch (error) {
            alert(`Cannot join: ${error.message}`);
          }
        },
      }, 'Join'));
}

function userEntry(user) {
  return h('li', { class: 'directory-entry' },
    h('span', { class: 'avatar-wrap' }, h('img', { class: 'avatar', src: `/avatar/${encodeURIComponent(user.username)}`, alt: '', width: 32, height: 32 }), ctx.presenceDot(user._id)),
    h('div', {}, h('strong', {}, user.name || user.username), h('p', { class: 'muted' }, `@${user.username}`)),
    user._id === ctx.me._id ? null : h('button', {
      type: 'button', 'aria-label': `Message ${user.username}`, onclick: async () => {
        const { room } = await ctx.api.post('im.create', { username: user.username });
        ctx.rooms.set(room._id, room);
        ctx.navigate(`/room/${room._id}`);
      },
    }, 'Message'));
}

const ADMIN_SETTINGS = [
  { id: 'Site_Name', label: 'Site name', type: 'text' },
  { id: 'Accounts_RegistrationForm', label: 'Registration form', type: 'select', values: ['Public', 'Disabled', 'Secret URL'] },
  { id: 'FileUpload_MaxFileSize', label: 'Largest upload (bytes, -1 for no limit)', type: 'number' },
];

export async function showAdmin(main) {
  const users = h('tbody', { id: 'admin-users' });
  const settingsForm = h('form', { class: 'settings-form', 'aria-labelledby': 'settings-title' });
  const notice = h('p', { role: 'status', class: 'muted', id: 'admin-status' });
  clear(main).append(h('section', { class: 'page', 'aria-labelledby': 'admin-title' },
    h('header', { class: 'room-header' }, h('a', { href: '/', 'data-nav': '', class: 'back icon', 'aria-label': 'Back to rooms' }, icon('back', 20)),
      h('h1', { id: 'admin-title' }, 'Administration')),
    h('div', { class: 'page-body' }, notice,
      h('h2', { id: 'users-title' }, 'Users'),
      h('button', { type: 'button', class: 'primary', onclick: () => createUser(reload) }, 'Create user'),
      h('div', { class: 'table-wrap' }, h('table', { 'aria-labelledby': 'users-title' },
        h('thead', {}, h('tr', {}, ['Username', 'Name', 'Roles', 'Active', ''].map((title) => h('th', { scope: 'col' }, title)))), users)),
      h('h2', { id: 'settings-title' }, 'Settings'), settingsForm)));
  const say = (text) => {
    notice.textContent = text;
  };
  async function reload() {
    try {
      const { users: list } = await ctx.api.get('users.list', { count: 100, sort: JSON.stringify({ username: 1 }) });
      clear(users).append(...(list || []).map((user) => userRow(user, reload, say)));
    } catch (error) {
      say(`Cannot list users: ${error.message}`);
    }
  }
  await reload();
  for (const setting of ADMIN_SETTINGS) {
    let value = '';
    try {
      value = (await ctx.api.get(`settings/${setting.id}`)).value;
    } catch {
      value = '';
    }
    const input = setting.type === 'select'
      ? h('select', { id: `setting-${setting.id}` }, setting.values.map((option) => h('option', { value: option }, option)))
      : h('input', { id: `setting-${setting.id}`, type: setting.type });
    input.value = value ?? '';
    settingsForm.append(h('label', { for: input.id }, setting.label), input);
  }
  settingsForm.append(h('button', { type: 'submit', class: 'primary' }, 'Save settings'));
  settingsForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      for (const setting of ADMIN_SETTINGS) {
        const raw = document.getElementById(`setting-${setting.id}`).value;
        await ctx.api.post(`settings/${setting.id}`, { value: setting.type === 'number' ? Number(raw) : raw });
        ctx.settings[setting.id] = setting.type === 'number' ? Number(raw) : raw;
      }
      say('Settings saved.');
    } catch (error) {
      say(`Cannot save: ${error.message}`);
    }
  });
}

function userRow(user, reload, say) {
  const roles = h('input', { value: (user.roles || []).join(', '), 'aria-label': `Roles of ${user.username}`, size: 16 });
  return h('tr', { 'data-username': user.username },
    h('td', {}, user.username), h('td', {}, user.name || ''),
    h('td', {}, roles, h('button', {
      type: 'button', 'aria-label': `Save roles of ${user.username}`, onclick: async () => {
        try {
          await ctx.api.post('users.update', { userId: user._id, data: { roles: usernames(roles.value) } });
          say(`Roles of ${user.username} saved.`);
        } catch (error) {
          say(`Cannot save roles: ${error.message}`);
        }
      },
    }, 'Save')),
    h('td', {}, user.active === false ? 'no' : 'yes'),
    h('td', {}, user._id === ctx.me._id ? null : h('button', {
      type: 'button', onclick: async () => {
        try {
          await ctx.api.post('users.setActiveStatus', { userId: user._id, activeStatus: user.active === false });
          await reload();
        } catch (error) {
          say(`Cannot change ${user.username}: ${error.message}`);
        }
      },
    }, user.active === false ? 'Activate' : 'Deactivate')));
}

function createUser(reload) {
  const parts = [field('new-name', 'Name', { required: true }), field('new-username', 'Username', { required: true }),
    field('new-email', 'E-mail', { required: true, type: 'email' }), field('new-password', 'Password', { required: true, type: 'password' })];
  const admin = h('input', { type: 'checkbox', id: 'new-admin' });
  dialog('Create user', [parts, h('label', { class: 'check' }, admin, ' Administrator')], 'Create', async () => {
    const [name, username, email, password] = parts.map(([, input]) => input.value.trim());
    await ctx.api.post('users.create', { name, username, email, password, roles: admin.checked ? ['admin', 'user'] : ['user'], verified: true });
    await reload();
  });
}
