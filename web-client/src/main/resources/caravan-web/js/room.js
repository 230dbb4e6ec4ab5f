// A room: its history (older pages as you scroll up), live messages, the composer (mentions, typing, uploads),
// message actions (react, thread, edit, delete, pin, star), read marking, and the thread / pinned / starred panel.
import { ctx } from './app.js';
import { h, clear, toDate } from './dom.js';
import { renderMessageBody } from './markdown.js';
import { emojiChar, QUICK_REACTIONS } from './emoji.js';
import { icon } from './icons.js';

const PAGE = 50;
const GROUP_WINDOW_MS = 5 * 60 * 1000;
const TYPING_IDLE_MS = 4000;

let view = null;

const historyPath = (type) => ({ c: 'channels.history', p: 'groups.history', d: 'im.history' }[type] || 'channels.history');

export function closeRoom() {
  if (!view) return;
  for (const stop of view.stops) stop();
  clearTimeout(view.typingTimer);
  closePanel();
  view = null;
}

export async function openRoom(rid, main) {
  if (view && view.rid === rid) return;
  closeRoom();
  const sub = ctx.subscriptionOf(rid);
  const room = ctx.rooms.get(rid) || (await ctx.api.get('rooms.info', { roomId: rid }).then((r) => r.room).catch(() => null));
  if (!room) {
    clear(main).append(h('div', { class: 'welcome' }, h('h1', {}, 'Room not found'), h('p', {}, 'It does not exist or you may not see it.')));
    return;
  }
  view = {
    rid, room, sub, messages: new Map(), hasMore: true, loading: false, typing: new Map(), typingSent: false, stops: [],
    thread: null,
  };
  renderRoom(main);
  const ddp = ctx.ddp;
  view.stops.push(
    ddp.stream('stream-room-messages', rid, (message) => received(rid, message)),
    ddp.stream('stream-notify-room', `${rid}/deleteMessage`, (message) => removed(rid, message && message._id)),
    ddp.stream('stream-notify-room', `${rid}/user-activity`, (username, activities, extras) => activity(rid, username, activities, extras)),
  );
  await loadOlder();
  markRead();
  view.composer.focus();
}

function renderRoom(main) {
  const { room, rid } = view;
  const title = ctx.roomTitle(rid);
  const isDirect = room.t === 'd';
  const peer = isDirect ? (room.uids || []).find((uid) => uid !== ctx.me._id) : null;
  const list = h('ol', { class: 'message-list', id: 'message-list' });
  const scroller = h('div', { class: 'messages', role: 'log', 'aria-live': 'polite', 'aria-label': `Messages in ${title}`, tabindex: 0 },
    h('p', { class: 'history-status muted', id: 'history-status' }), list);
  const typing = h('p', { class: 'typing muted', id: 'typing', 'aria-live': 'polite' });
  const composer = h('textarea', {
    id: 'composer', rows: 1, 'aria-label': `Message ${isDirect ? '@' : '#'}${title}`, placeholder: `Message ${isDirect ? '@' : '#'}${title}`,
    'aria-autocomplete': 'list', 'aria-controls': 'mention-list', 'aria-expanded': 'false',
  });
  const file = h('input', { type: 'file', id: 'file-input', hidden: true, multiple: true });
  const mentionList = h('ul', { id: 'mention-list', class: 'mention-list', role: 'listbox', hidden: true, 'aria-label': 'People to mention' });
  const upload = h('p', { class: 'upload-status muted', id: 'upload-status', role: 'status' });
  const form = h('form', { class: 'composer', 'aria-label': 'Send a message' },
    mentionList,
    h('button', { type: 'button', class: 'icon', 'aria-label': 'Attach a file', title: 'Attach a file', onclick: () => file.click() }, icon('attach')),
    file, composer,
    h('button', { type: 'submit', class: 'primary', 'aria-label': 'Send' }, 'Send'));
  const header = h('header', { class: 'room-header' },
    h('a', { href: '/', 'data-nav': '', class: 'back icon', 'aria-label': 'Back to rooms' }, icon('back', 20)),
    isDirect ? h('span', { class: 'avatar-wrap' }, h('img', { class: 'avatar', src: `/avatar/room/${rid}`, alt: '', width: 28, height: 28 }), peer ? ctx.presenceDot(peer) : null)
      : h('span', { class: 'room-icon', 'aria-hidden': 'true' }, icon(room.t === 'p' ? 'lock' : 'hash')),
    h('div', { class: 'room-titles' }, h('h1', {}, title), room.topic ? h('p', { class: 'muted topic' }, room.topic) : null),
    h('div', { class: 'room-tools', role: 'toolbar', 'aria-label': 'Room tools' },
      isDirect ? null : h('button', { type: 'button', onclick: invite }, 'Add people'),
      h('button', { type: 'button', onclick: () => showList('pinned') }, 'Pinned'),
      h('button', { type: 'button', onclick: () => showList('starred') }, 'Starred')));
  const section = h('section', { class: 'room', 'aria-label': title, id: 'room' }, header, scroller, typing, upload, form);
  clear(main).append(section);
  Object.assign(view, { list, scroller, composer, typingLine: typing, mentionList, uploadStatus: upload });

  // keyboard: Up and Down move between messages in the log; Tab then reaches the focused message's actions
  scroller.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    const items = [...list.querySelectorAll('.msg[tabindex]')];
    if (!items.length) return;
    const at = items.indexOf(document.activeElement.closest('.msg'));
    const next = at < 0 ? items.length - 1 : Math.max(0, Math.min(items.length - 1, at + (event.key === 'ArrowDown' ? 1 : -1)));
    event.preventDefault();
    items[next].focus();
  });
  scroller.addEventListener('scroll', () => {
    if (scroller.scrollTop < 150) loadOlder();
    if (atBottom()) markRead();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send(composer, null);
  });
  composer.addEventListener('keydown', (event) => composerKey(event, composer, null));
  composer.addEventListener('input', () => {
    autoSize(composer);
    typingInput();
    mentionLookup(composer);
  });
  file.addEventListener('change', () => {
    uploadFiles([...file.files]);
    file.value = '';
  });
  section.addEventListener('dragover', (event) => {
    event.preventDefault();
    section.classList.add('dropping');
  });
  section.addEventListener('dragleave', (event) => {
    if (!section.contains(event.relatedTarget)) section.classList.remove('dropping');
  });
  section.addEventListener('drop', (event) => {
    event.preventDefault();
    section.classList.remove('dropping');
    uploadFiles([...(event.dataTransfer?.files || [])]);
  });
}

function atBottom() {
  const s = view.scroller;
  return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
}

async function loadOlder() {
  if (!view || view.loading || !view.hasMore) return;
  const current = view;
  current.loading = true;
  const status = document.getElementById('history-status');
  status.textContent = 'Loading…';
  const oldest = [...current.messages.values()].filter((m) => !m.tmid || m.tshow).reduce((min, m) => Math.min(min, toDate(m.ts).getTime()), Infinity);
  try {
    const { messages } = await ctx.api.get(historyPath(current.room.t), {
      roomId: current.rid, count: PAGE, latest: Number.isFinite(oldest) ? new Date(oldest).toISOString() : undefined,
    });
    if (view !== current) return;
    current.hasMore = (messages || []).length >= PAGE;
    const before = current.scroller.scrollHeight - current.scroller.scrollTop;
    const first = !Number.isFinite(oldest);
    for (const message of messages || []) current.messages.set(message._id, message);
    render();
    current.scroller.scrollTop = first ? current.scroller.scrollHeight : current.scroller.scrollHeight - before;
    status.textContent = current.hasMore ? '' : 'This is the start of the room.';
  } catch (error) {
    status.textContent = `Cannot load the history: ${error.message}`;
  } finally {
    current.loading = false;
  }
}

/** After a reconnect: what changed in the open room (and thread) while the client was away. */
export async function catchUpRoom(since) {
  if (!view) return;
  const current = view;
  const { result } = await ctx.api.get('chat.syncMessages', { roomId: current.rid, lastUpdate: since.toISOString() });
  if (view !== current) return;
  for (const message of (result && result.updated) || []) received(current.rid, message, false);
  for (const message of (result && result.deleted) || []) removed(current.rid, message._id);
  render();
  if (current.thread) await loadThread(current.thread);
}

function received(rid, message, paint = true) {
  if (!view || view.rid !== rid || !message || !message._id) return;
  const stick = atBottom();
  view.messages.set(message._id, message);
  ctx.watchPresence([message.u && message.u._id]);
  if (message.u && view.typing.has(message.u.username)) {
    view.typing.delete(message.u.username);
    paintTyping();
  }
  if (view.thread && (message.tmid === view.thread || message._id === view.thread)) paintThread();
  if (!paint) return;
  render();
  if (stick || message.u?._id === ctx.me._id) view.scroller.scrollTop = view.scroller.scrollHeight;
  if (document.visibilityState === 'visible' && atBottom()) markRead();
}

function removed(rid, id) {
  if (!view || view.rid !== rid || !id) return;
  view.messages.delete(id);
  render();
  if (view.thread) paintThread();
}

let readTimer = null;

function markRead() {
  if (!view) return;
  const sub = ctx.subscriptionOf(view.rid);
  if (sub && !sub.unread && !sub.alert && !(sub.userMentions > 0)) return;
  clearTimeout(readTimer);
  const rid = view.rid;
  readTimer = setTimeout(() => ctx.api.post('subscriptions.read', { rid }).catch(() => {}), 300);
}

function visibleInRoom(message) {
  return !message.tmid || message.tshow;
}

function render() {
  if (!view) return;
  const messages = [...view.messages.values()].filter(visibleInRoom).sort((a, b) => toDate(a.ts) - toDate(b.ts));
  ctx.watchPresence([...new Set(messages.map((message) => message.u && message.u._id))]);
  clear(view.list);
  let previous = null;
  for (const message of messages) {
    const date = toDate(message.ts);
    if (!previous || date.toDateString() !== toDate(previous.ts).toDateString()) {
      view.list.append(h('li', { class: 'day-separator', role: 'separator', 'aria-label': dayLabel(date) }, h('span', {}, dayLabel(date))));
      previous = null;
    }
    const grouped = previous && !previous.t && !message.t && previous.u?._id === message.u?._id
      && date - toDate(previous.ts) < GROUP_WINDOW_MS && !message.tcount && !previous.tcount;
    view.list.append(messageItem(message, { grouped, inThread: false }));
    previous = message;
  }
}

function dayLabel(date) {
  const today = new Date();
  const yesterday = new Date(Date.now() - 86400000);
  if (date.toDateString() === today.toDateString()) return 'Today';
  if (date.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return date.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

const SYSTEM_TEXT = {
  uj: (m) => `${m.u.username} joined the channel`,
  ul: (m) => `${m.u.username} left the channel`,
  au: (m) => `${m.u.username} added ${m.msg}`,
  ru: (m) => `${m.u.username} removed ${m.msg}`,
  ut: (m) => `${m.u.username} joined the conversation`,
  r: (m) => `${m.u.username} changed the room name to ${m.msg}`,
  room_changed_topic: (m) => `${m.u.username} changed the topic to ${m.msg}`,
  room_changed_description: (m) => `${m.u.username} changed the description to ${m.msg}`,
  room_changed_announcement: (m) => `${m.u.username} changed the announcement to ${m.msg}`,
  'subscription-role-added': (m) => `${m.msg} was given the role ${m.role}`,
  'subscription-role-removed': (m) => `${m.msg} no longer has the role ${m.role}`,
  'user-muted': (m) => `${m.msg} was muted`,
  'user-unmuted': (m) => `${m.msg} was unmuted`,
  message_pinned: (m) => `${m.u.username} pinned a message`,
  'added-user-to-team': (m) => `${m.u.username} added ${m.msg} to the team`,
};

function messageItem(message, { grouped, inThread }) {
  const time = toDate(message.ts);
  const author = message.u || {};
  const mine = author._id === ctx.me._id;
  if (message.t) {
    const text = SYSTEM_TEXT[message.t] ? SYSTEM_TEXT[message.t](message) : `${author.username}: ${message.msg || message.t}`;
    return h('li', { class: 'msg system', id: `msg-${message._id}`, 'data-id': message._id },
      h('p', {}, text, ' ', h('time', { datetime: time.toISOString() }, clock(time))));
  }
  const starred = (message.starred || []).some((star) => star._id === ctx.me._id);
  const body = h('div', { class: 'msg-body' },
    grouped ? null : h('div', { class: 'msg-head' },
      h('span', { class: 'author' }, author.name || author.username),
      author.name ? h('span', { class: 'muted username' }, `@${author.username}`) : null,
      h('time', { datetime: time.toISOString(), title: time.toLocaleString() }, clock(time)),
      message.editedAt ? h('span', { class: 'muted edited', title: `edited ${toDate(message.editedAt).toLocaleString()}` }, '(edited)') : null,
      message.pinned ? h('span', { class: 'flag', title: 'Pinned', 'aria-label': 'pinned', role: 'img' }, icon('pin', 14)) : null,
      starred ? h('span', { class: 'flag', title: 'Starred', 'aria-label': 'starred', role: 'img' }, icon('star', 14)) : null),
    renderMessageBody(message, { onMention: (username) => ctx.navigate(`/directory?user=${encodeURIComponent(username)}`) }),
    attachments(message),
    reactions(message),
    !inThread && message.tcount ? h('button', { type: 'button', class: 'thread-summary', onclick: () => openThread(message._id) },
      icon('thread', 14), ` ${message.tcount} ${message.tcount === 1 ? 'reply' : 'replies'}`) : null);
  const actions = h('div', { class: 'msg-actions', role: 'toolbar', 'aria-label': 'Message actions' },
    h('button', { type: 'button', class: 'icon', 'aria-label': 'Add reaction', title: 'Add reaction', onclick: (event) => reactionPicker(event.currentTarget, message) }, icon('smile')),
    inThread ? null : h('button', { type: 'button', class: 'icon', 'aria-label': 'Reply in thread', title: 'Reply in thread', onclick: () => openThread(message._id) }, icon('thread')),
    h('button', { type: 'button', class: 'icon', 'aria-label': message.pinned ? 'Unpin' : 'Pin', title: message.pinned ? 'Unpin' : 'Pin', onclick: () => act(message.pinned ? 'chat.unPinMessage' : 'chat.pinMessage', { messageId: message._id }) }, icon('pin')),
    h('button', { type: 'button', class: 'icon', 'aria-label': starred ? 'Unstar' : 'Star', title: starred ? 'Unstar' : 'Star', onclick: () => act(starred ? 'chat.unStarMessage' : 'chat.starMessage', { messageId: message._id }) }, icon('star')),
    mine ? h('button', { type: 'button', class: 'icon', 'aria-label': 'Edit', title: 'Edit', onclick: () => editMessage(message) }, icon('edit')) : null,
    mine ? h('button', { type: 'button', class: 'icon danger', 'aria-label': 'Delete', title: 'Delete', onclick: () => deleteMessage(message) }, icon('trash')) : null);
  return h('li', { class: `msg${grouped ? ' grouped' : ''}${mine ? ' mine' : ''}`, id: `${inThread ? 'thread-' : ''}msg-${message._id}`, 'data-id': message._id, tabindex: -1 },
    grouped ? h('span', { class: 'gutter' }, h('time', { datetime: time.toISOString() }, clock(time)))
      : h('span', { class: 'avatar-wrap' }, h('img', { class: 'avatar', src: `/avatar/${encodeURIComponent(author.username || '')}`, alt: '', width: 36, height: 36, loading: 'lazy' }), ctx.presenceDot(author._id)),
    body, actions);
}

const clock = (date) => date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

function attachments(message) {
  const list = message.attachments || [];
  if (!list.length) return null;
  return h('div', { class: 'attachments' }, list.map((attachment) => {
    const link = attachment.title_link || attachment.image_url;
    const safe = (url) => (url && url.startsWith('/') ? url : null);
    if (attachment.image_url && safe(attachment.image_url)) {
      return h('figure', { class: 'attachment image' },
        h('a', { href: safe(link) || safe(attachment.image_url), target: '_blank', rel: 'noopener' },
          h('img', { src: attachment.image_url, alt: attachment.description || attachment.title || 'image', loading: 'lazy', width: attachment.image_dimensions?.width, height: attachment.image_dimensions?.height })),
        h('figcaption', {}, attachment.title || '', attachment.description ? ` — ${attachment.description}` : ''));
    }
    if (attachment.message_link || attachment.text) {
      return h('blockquote', { class: 'attachment quote' }, h('strong', {}, attachment.author_name || ''), ' ', attachment.text || '');
    }
    return h('p', { class: 'attachment file' }, icon('file', 16), ' ', safe(link) ? h('a', { href: link, target: '_blank', rel: 'noopener' }, attachment.title || 'file') : attachment.title || 'file',
      attachment.description ? ` — ${attachment.description}` : '');
  }));
}

function reactions(message) {
  const entries = Object.entries(message.reactions || {});
  if (!entries.length) return null;
  return h('div', { class: 'reactions', role: 'group', 'aria-label': 'Reactions' }, entries.map(([code, { usernames = [] }]) => {
    const mine = usernames.includes(ctx.me.username);
    const char = emojiChar(code) || code;
    return h('button', {
      type: 'button', class: `reaction${mine ? ' mine' : ''}`, 'aria-pressed': String(mine), 'data-emoji': code,
      title: usernames.join(', '), 'aria-label': `${char} ${usernames.length}: ${usernames.join(', ')}`,
      onclick: () => act('chat.react', { messageId: message._id, emoji: code }),
    }, `${char} ${usernames.length}`);
  }));
}

function reactionPicker(anchor, message) {
  document.querySelector('.reaction-picker')?.remove();
  const picker = h('div', { class: 'reaction-picker', role: 'menu', 'aria-label': 'Pick a reaction' },
    QUICK_REACTIONS.map((code) => h('button', {
      type: 'button', role: 'menuitem', 'aria-label': `React with ${code}`, 'data-emoji': code,
      onclick: () => {
        picker.remove();
        act('chat.react', { messageId: message._id, emoji: `:${code}:` });
      },
    }, emojiChar(code))));
  picker.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      picker.remove();
      anchor.focus();
    }
  });
  anchor.closest('.msg').append(picker);
  picker.querySelector('button').focus();
}

async function act(method, body) {
  try {
    await ctx.api.post(method, body);
  } catch (error) {
    alert(`${method}: ${error.message}`);
  }
}

function editMessage(message) {
  const item = document.getElementById(`msg-${message._id}`) || document.getElementById(`thread-msg-${message._id}`);
  const body = item?.querySelector('.md');
  if (!body) return;
  const editor = h('textarea', { class: 'edit-box', 'aria-label': 'Edit message', rows: 2 });
  editor.value = message.msg || '';
  const done = () => editor.replaceWith(body);
  editor.addEventListener('keydown', async (event) => {
    if (event.key === 'Escape') done();
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      try {
        await ctx.api.post('chat.update', { roomId: message.rid, msgId: message._id, text: editor.value });
        done();
      } catch (error) {
        alert(`Cannot edit: ${error.message}`);
      }
    }
  });
  body.replaceWith(editor);
  editor.focus();
}

async function deleteMessage(message) {
  if (!confirm('Delete this message?')) return;
  await act('chat.delete', { roomId: message.rid, msgId: message._id });
}

async function send(composer, tmid) {
  const text = composer.value.trim();
  if (!text || !view) return;
  composer.value = '';
  autoSize(composer);
  stopTyping();
  hideMentions();
  try {
    const { message } = await ctx.api.post('chat.sendMessage', { message: { rid: view.rid, msg: text, tmid: tmid || undefined } });
    received(view.rid, message);
  } catch (error) {
    composer.value = text;
    alert(`Cannot send: ${error.message}`);
  }
}

function composerKey(event, composer, tmid) {
  if (mentionKey(event, composer)) return;
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    send(composer, tmid);
  } else if (event.key === 'ArrowUp' && !composer.value) {
    const mine = [...view.messages.values()].filter((m) => m.u?._id === ctx.me._id && !m.t && (tmid ? m.tmid === tmid : visibleInRoom(m)))
      .sort((a, b) => toDate(b.ts) - toDate(a.ts))[0];
    if (mine) {
      event.preventDefault();
      editMessage(mine);
    }
  }
}

function autoSize(textarea) {
  textarea.style.height = 'auto';
  textarea.style.height = `${Math.min(200, textarea.scrollHeight)}px`;
}

// typing: "user-typing" while keys come, [] after a pause or on send, as Rocket.Chat's clients do
function typingInput() {
  if (!view) return;
  if (!view.typingSent) {
    view.typingSent = true;
    notifyActivity(['user-typing']);
  }
  clearTimeout(view.typingTimer);
  view.typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
}

function stopTyping() {
  if (!view || !view.typingSent) return;
  view.typingSent = false;
  clearTimeout(view.typingTimer);
  notifyActivity([]);
}

function notifyActivity(activities) {
  ctx.ddp.call('stream-notify-room', `${view.rid}/user-activity`, ctx.me.username, activities, {}).catch(() => {});
}

function activity(rid, username, activities) {
  if (!view || view.rid !== rid || username === ctx.me.username) return;
  clearTimeout(view.typing.get(username));
  if ((activities || []).includes('user-typing')) {
    view.typing.set(username, setTimeout(() => {
      view?.typing.delete(username);
      paintTyping();
    }, 15000));
  } else {
    view.typing.delete(username);
  }
  paintTyping();
}

function paintTyping() {
  if (!view) return;
  const names = [...view.typing.keys()];
  view.typingLine.textContent = !names.length ? '' : names.length === 1 ? `${names[0]} is typing…` : `${names.join(', ')} are typing…`;
}

// @mention autocomplete: the word before the caret, people from users.autocomplete
let mentionState = null;
let mentionQuery = 0;
const mentionTerm = (composer) => composer.value.slice(0, composer.selectionStart).match(/(?:^|\s)@([\w.-]*)$/);

async function mentionLookup(composer) {
  const match = mentionTerm(composer);
  const query = ++mentionQuery;
  if (!match) {
    hideMentions();
    return;
  }
  const term = match[1];
  try {
    const { items } = await ctx.api.get('users.autocomplete', { selector: JSON.stringify({ term }) });
    // only the answer to the latest keystroke counts
    if (query === mentionQuery) showMentions(composer, term, (items || []).slice(0, 8));
  } catch {
    if (query === mentionQuery) hideMentions();
  }
}

function showMentions(composer, term, users) {
  const list = view?.mentionList;
  if (!list) return;
  if (!users.length) {
    hideMentions();
    return;
  }
  mentionState = { composer, term, users, index: 0 };
  clear(list).append(...users.map((user, index) => h('li', {
    role: 'option', id: `mention-${index}`, 'aria-selected': String(index === 0), 'data-username': user.username,
    onmousedown: (event) => {
      event.preventDefault();
      pickMention(index);
    },
  }, h('img', { class: 'avatar', src: `/avatar/${encodeURIComponent(user.username)}`, alt: '', width: 20, height: 20 }),
  h('strong', {}, user.username), user.name ? h('span', { class: 'muted' }, ` ${user.name}`) : null)));
  list.hidden = false;
  composer.setAttribute('aria-expanded', 'true');
  composer.setAttribute('aria-activedescendant', 'mention-0');
}

function hideMentions() {
  mentionState = null;
  if (view?.mentionList) view.mentionList.hidden = true;
  view?.composer?.setAttribute('aria-expanded', 'false');
  view?.composer?.removeAttribute('aria-activedescendant');
}

function mentionKey(event, composer) {
  if (!mentionState || mentionState.composer !== composer) return false;
  const count = mentionState.users.length;
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    mentionState.index = (mentionState.index + (event.key === 'ArrowDown' ? 1 : count - 1)) % count;
    for (const [index, option] of [...view.mentionList.children].entries()) option.setAttribute('aria-selected', String(index === mentionState.index));
    composer.setAttribute('aria-activedescendant', `mention-${mentionState.index}`);
  } else if (event.key === 'Enter' || event.key === 'Tab') {
    pickMention(mentionState.index);
  } else if (event.key === 'Escape') {
    hideMentions();
  } else {
    return false;
  }
  event.preventDefault();
  return true;
}

function pickMention(index) {
  const { composer, users } = mentionState;
  const term = (mentionTerm(composer) || [null, ''])[1];
  const caret = composer.selectionStart;
  const start = caret - term.length;
  composer.value = `${composer.value.slice(0, start)}${users[index].username} ${composer.value.slice(caret)}`;
  composer.selectionStart = composer.selectionEnd = start + users[index].username.length + 1;
  hideMentions();
  composer.focus();
}

async function uploadFiles(files) {
  if (!view || !files.length) return;
  const rid = view.rid;
  const max = Number(ctx.settings.FileUpload_MaxFileSize || 0);
  for (const file of files) {
    if (max > 0 && file.size > max) {
      view.uploadStatus.textContent = `${file.name} is larger than the server allows (${Math.round(max / 1024)} KiB).`;
      continue;
    }
    view.uploadStatus.textContent = `Uploading ${file.name}…`;
    const form = new FormData();
    form.append('file', file, file.name);
    if (view.thread) form.append('tmid', view.thread);
    try {
      const { message } = await ctx.api.request('POST', `rooms.upload/${rid}`, form);
      if (message) received(rid, message);
      if (view) view.uploadStatus.textContent = '';
    } catch (error) {
      if (view) view.uploadStatus.textContent = `Cannot upload ${file.name}: ${error.message}`;
    }
  }
}

async function invite() {
  const username = prompt('Username to add to this room');
  if (!username || !view) return;
  try {
    const { user } = await ctx.api.get('users.info', { username: username.trim().replace(/^@/, '') });
    await ctx.api.post(view.room.t === 'p' ? 'groups.invite' : 'channels.invite', { roomId: view.rid, userId: user._id });
  } catch (error) {
    alert(`Cannot add ${username}: ${error.message}`);
  }
}

// the side panel: a thread, or the room's pinned or starred messages
function panel() {
  return document.getElementById('side-panel');
}

function closePanel() {
  const side = panel();
  if (side) {
    side.hidden = true;
    clear(side);
  }
  document.getElementById('shell')?.classList.remove('with-panel');
  if (view) view.thread = null;
}

async function openThread(tmid) {
  if (!view) return;
  view.thread = tmid;
  const side = panel();
  const composer = h('textarea', { id: 'thread-composer', rows: 1, 'aria-label': 'Reply in thread', placeholder: 'Reply in thread' });
  const list = h('ol', { class: 'message-list', id: 'thread-list' });
  const follow = h('button', { type: 'button', id: 'thread-follow', onclick: () => toggleFollow(tmid) }, 'Follow');
  const form = h('form', { class: 'composer' }, composer, h('button', { type: 'submit', class: 'primary' }, 'Reply'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send(composer, tmid);
  });
  composer.addEventListener('keydown', (event) => composerKey(event, composer, tmid));
  clear(side).append(
    h('header', { class: 'panel-header' }, h('h2', {}, 'Thread'), follow,
      h('button', { type: 'button', class: 'icon', 'aria-label': 'Close thread', onclick: closePanel }, icon('close'))),
    h('div', { class: 'messages', role: 'log', 'aria-label': 'Thread messages' }, list), form);
  side.hidden = false;
  document.getElementById('shell').classList.add('with-panel');
  side.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closePanel();
  });
  await loadThread(tmid);
  composer.focus();
}

async function loadThread(tmid) {
  const current = view;
  try {
    const parent = current.messages.get(tmid) || (await ctx.api.get('chat.getMessage', { msgId: tmid })).message;
    current.messages.set(parent._id, parent);
    const { messages } = await ctx.api.get('chat.getThreadMessages', { tmid, count: 100 });
    for (const message of messages || []) current.messages.set(message._id, message);
    paintThread();
  } catch (error) {
    console.warn('thread', error);
  }
}

function paintThread() {
  const list = document.getElementById('thread-list');
  if (!view || !view.thread || !list) return;
  const parent = view.messages.get(view.thread);
  const replies = [...view.messages.values()].filter((m) => m.tmid === view.thread).sort((a, b) => toDate(a.ts) - toDate(b.ts));
  clear(list);
  if (parent) list.append(messageItem(parent, { grouped: false, inThread: true }));
  for (const reply of replies) list.append(messageItem(reply, { grouped: false, inThread: true }));
  const following = (parent?.replies || []).includes(ctx.me._id);
  const follow = document.getElementById('thread-follow');
  if (follow) {
    follow.textContent = following ? 'Following' : 'Follow';
    follow.setAttribute('aria-pressed', String(following));
  }
}

async function toggleFollow(tmid) {
  const parent = view?.messages.get(tmid);
  const following = (parent?.replies || []).includes(ctx.me._id);
  await act(following ? 'chat.unfollowMessage' : 'chat.followMessage', { mid: tmid });
}

async function showList(kind) {
  if (!view) return;
  view.thread = null;
  const side = panel();
  const list = h('ol', { class: 'message-list' });
  clear(side).append(
    h('header', { class: 'panel-header' }, h('h2', {}, kind === 'pinned' ? 'Pinned messages' : 'Starred messages'),
      h('button', { type: 'button', class: 'icon', 'aria-label': 'Close', onclick: closePanel }, icon('close'))),
    h('div', { class: 'messages' }, list));
  side.hidden = false;
  document.getElementById('shell').classList.add('with-panel');
  try {
    const { messages } = await ctx.api.get(kind === 'pinned' ? 'chat.getPinnedMessages' : 'chat.getStarredMessages', { roomId: view.rid, count: 50 });
    if (!messages?.length) list.append(h('li', { class: 'muted empty' }, 'None yet'));
    for (const message of messages || []) list.append(messageItem(message, { grouped: false, inThread: true }));
  } catch (error) {
    list.append(h('li', { class: 'form-error' }, error.message));
  }
}

/** The open room's subscription changed (e.g. unread went up while the person is reading along): read it. */
export function roomSubscriptionChanged(sub) {
  if (view && sub.rid === view.rid && (sub.unread || sub.alert) && document.visibilityState === 'visible' && atBottom()) markRead();
}

export function onPresenceChanged() {
  // dots repaint themselves by data-presence; nothing else in the room depends on presence
}
