// The shortcodes the client offers and shows as characters; any other :code: is shown as written.
export const EMOJI = {
  '+1': '👍', thumbsup: '👍', '-1': '👎', heart: '❤️', smile: '😄', joy: '😂', tada: '🎉', eyes: '👀',
  rocket: '🚀', wave: '👋', pray: '🙏', fire: '🔥', white_check_mark: '✅', thinking: '🤔', clap: '👏', ok_hand: '👌',
  slight_smile: '🙂', grin: '😁', cry: '😢', sunglasses: '😎', coffee: '☕', star: '⭐', '100': '💯', warning: '⚠️',
};
export const QUICK_REACTIONS = ['+1', 'heart', 'joy', 'tada', 'eyes', 'rocket'];
export const emojiChar = (code) => EMOJI[code.replace(/^:|:$/g, '')] || null;
