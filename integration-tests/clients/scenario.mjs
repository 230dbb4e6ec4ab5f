// A day with Rocket.Chat's own client library against Caravan: run by the integration tests as
//   node scenario.mjs <baseUrl> <adminUsername> <adminPassword>
// Prints one line per check ("ok <name> ..."), exits non-zero on the first failure.
import { randomUUID } from 'node:crypto';
import { DDPSDK, RocketchatSdkLegacyImpl } from '@rocket.chat/ddp-client';
import { ok, restClient, run, sha256, within } from './lib.mjs';

const [baseUrl, adminUser, adminPass] = process.argv.slice(2);
const { rest, login } = restClient(baseUrl);
const tag = randomUUID().slice(0, 8);

async function main() {
  const admin = await login(adminUser, adminPass);
  const names = { alice: `alice-${tag}`, bob: `bob-${tag}`, bot: `bot-${tag}` };
  for (const name of Object.values(names)) {
    await rest('/api/v1/users.create', { method: 'POST', auth: admin,
      body: { username: name, email: `${name}@caravan.test`, password: `${name}-pw`, name } });
  }
  const room = (await rest('/api/v1/channels.create', { method: 'POST', auth: admin,
    body: { name: `day-${tag}`, members: Object.values(names) } })).channel;
  ok('setup', room._id);

  // alice logs in over DDP with a password digest, as the web client does
  const alice = await DDPSDK.createAndConnect(baseUrl);
  await alice.account.loginWithPassword(names.alice, sha256(`${names.alice}-pw`));
  if (!alice.account.uid) throw new Error('alice has no uid after login');
  ok('login-password', alice.account.uid);

  // a message posted over REST by bob reaches alice's room stream (the time it took is printed; the benchmarks judge it)
  const bobRest = await login(names.bob, `${names.bob}-pw`);
  const received = [];
  let onMessage = () => {};
  await alice.stream('room-messages', room._id, (message) => { received.push(message); onMessage(message); }).ready();
  const restText = `hello from REST ${tag}`;
  const arrived = new Promise((resolve) => { onMessage = (m) => { if (m.msg === restText) resolve(m); }; });
  const sentAt = Date.now();
  await rest('/api/v1/chat.postMessage', { method: 'POST', auth: bobRest, body: { roomId: room._id, text: restText } });
  await within(10000, 'REST message on the stream', arrived);
  ok('stream-message', `${Date.now() - sentAt}ms`);

  // bob connects over DDP by resume token; alice sends by method and bob receives it
  const bob = await DDPSDK.createAndConnect(baseUrl);
  await bob.account.loginWithToken(bobRest.authToken);
  ok('login-resume', bob.account.uid);
  const bobGot = [];
  let onBob = () => {};
  await bob.stream('room-messages', room._id, (m) => { bobGot.push(m); onBob(m); }).ready();
  const methodText = `by method ${tag}`;
  const bobArrived = new Promise((resolve) => { onBob = (m) => { if (m.msg === methodText) resolve(m); }; });
  const result = await alice.call('sendMessage', { _id: `m${tag}x${Date.now()}`.slice(0, 17), rid: room._id, msg: methodText });
  if (result.msg !== methodText) throw new Error(`sendMessage result ${JSON.stringify(result)}`);
  await within(10000, 'method message at bob', bobArrived);
  ok('send-by-method', result._id);

  // typing: bob types, alice sees the user-activity event
  const typing = new Promise((resolve) => {
    alice.stream('notify-room', `${room._id}/user-activity`, (username, activities) => {
      if (username === names.bob && activities.includes('user-typing')) resolve();
    });
  });
  await new Promise((r) => setTimeout(r, 200));
  await bob.call('stream-notify-room', `${room._id}/user-activity`, names.bob, ['user-typing'], {});
  await within(10000, 'typing event', typing);
  ok('typing');

  // a status change by bob reaches alice's user-status stream
  const status = new Promise((resolve) => {
    alice.stream('notify-logged', 'user-status', (entry) => {
      if (entry[0] === bob.account.uid && entry[2] === 3) resolve(entry);
    });
  });
  await new Promise((r) => setTimeout(r, 200));
  await bob.call('UserPresence:setDefaultStatus', 'busy');
  await within(10000, 'status change', status);
  ok('status-change');

  // a bot on the legacy SDK interface answers a message
  const bot = RocketchatSdkLegacyImpl.create(baseUrl);
  await bot.connect({});
  await bot.login({ username: names.bot, password: sha256(`${names.bot}-pw`) });
  // the legacy interface hands back its subscriptions without waiting for them: wait until the server says ready
  const botSubscriptions = await bot.subscribeRoom(room._id);
  await Promise.all(botSubscriptions.map((subscription) => subscription.ready()));
  bot.onMessage(([message]) => {
    if (message.msg === `ping ${tag}` && message.u.username !== names.bot) {
      bot.sendMessage(`pong ${tag}`, room._id).catch((e) => console.error('bot reply failed', e));
    }
  });
  const answered = new Promise((resolve) => { onMessage = (m) => { if (m.msg === `pong ${tag}`) resolve(m); }; });
  await alice.call('sendMessage', { rid: room._id, msg: `ping ${tag}` });
  const pong = await within(10000, 'bot answer', answered);
  if (pong.u.username !== names.bot) throw new Error(`answer from ${pong.u.username}`);
  ok('bot-answers');

  await Promise.all([alice.connection.close(), bob.connection.close(), bot.disconnect()]);
}

run(main);
