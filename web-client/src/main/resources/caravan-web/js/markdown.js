// Renders a message's `md` (the server's parsed markdown, Rocket.Chat's message-parser shape) to DOM nodes; without
// `md`, the plain `msg` text. Links open outside only for http(s) and mailto; nothing is ever parsed as HTML.
import { h } from './dom.js';
import { emojiChar } from './emoji.js';

const SAFE_URL = /^(https?:|mailto:|\/)/i;

export function renderMessageBody(message, { onMention } = {}) {
  const body = h('div', { class: 'md' });
  if (Array.isArray(message.md) && message.md.length) {
    for (const block of message.md) body.append(renderBlock(block, onMention));
  } else if (message.msg) {
    body.append(h('p', {}, message.msg));
  }
  return body;
}

function renderBlock(block, onMention) {
  const inlines = (value) => (Array.isArray(value) ? value : [value]).map((node) => renderInline(node, onMention));
  switch (block.type) {
    case 'PARAGRAPH':
      return h('p', {}, inlines(block.value));
    case 'BIG_EMOJI':
      return h('p', { class: 'big-emoji' }, inlines(block.value));
    case 'HEADING':
      return h(`h${Math.min(4, Math.max(1, block.level || 1)) + 2}`, {}, inlines(block.value));
    case 'CODE':
      return h('pre', {}, h('code', { 'data-language': block.language || undefined },
        (block.value || []).map((line) => `${text(line.value)}\n`)));
    case 'QUOTE':
      return h('blockquote', {}, (block.value || []).map((child) => renderBlock(child, onMention)));
    case 'UNORDERED_LIST':
      return h('ul', {}, (block.value || []).map((item) => h('li', {}, inlines(item.value))));
    case 'ORDERED_LIST':
      return h('ol', {}, (block.value || []).map((item) => h('li', { value: item.number }, inlines(item.value))));
    case 'TASKS':
      return h('ul', { class: 'tasks' }, (block.value || []).map((task) => h('li', {},
        h('input', { type: 'checkbox', disabled: true, checked: !!task.status, 'aria-label': 'task' }), ' ', inlines(task.value))));
    case 'LINE_BREAK':
      return h('br');
    default:
      return h('p', {}, text(block.value));
  }
}

function renderInline(node, onMention) {
  if (!node || typeof node !== 'object') return String(node ?? '');
  const children = (value) => (Array.isArray(value) ? value : [value]).map((child) => renderInline(child, onMention));
  switch (node.type) {
    case 'PLAIN_TEXT':
      return node.value;
    case 'BOLD':
      return h('strong', {}, children(node.value));
    case 'ITALIC':
      return h('em', {}, children(node.value));
    case 'STRIKE':
      return h('s', {}, children(node.value));
    case 'INLINE_CODE':
      return h('code', {}, text(node.value));
    case 'LINK': {
      const src = text(node.value && node.value.src);
      const label = node.value && node.value.label;
      const content = label ? children(label) : [src];
      if (!SAFE_URL.test(src)) return h('span', {}, content);
      return h('a', { href: src, target: '_blank', rel: 'noopener noreferrer nofollow' }, content);
    }
    case 'MENTION_USER': {
      const name = text(node.value);
      return h('button', { type: 'button', class: 'mention', onclick: () => onMention && onMention(name) }, `@${name}`);
    }
    case 'MENTION_CHANNEL':
      return h('span', { class: 'mention channel' }, `#${text(node.value)}`);
    case 'EMOJI': {
      if (node.unicode) return h('span', { class: 'emoji' }, node.unicode);
      const code = node.shortCode || text(node.value);
      const char = emojiChar(code);
      return char ? h('span', { class: 'emoji', title: `:${code}:`, role: 'img', 'aria-label': code }, char) : `:${code}:`;
    }
    case 'IMAGE':
      return h('span', {}, text(node.value && node.value.label));
    default:
      return text(node.value);
  }
}

function text(node) {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(text).join('');
  return text(node.value);
}
