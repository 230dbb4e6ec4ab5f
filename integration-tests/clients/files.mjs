// Files with Rocket.Chat's own client library against Caravan: run by the integration tests as
//   node files.mjs <baseUrl> <adminUsername> <adminPassword>
// bob uploads a file as the clients do (multipart rooms.upload); alice, on DDPSDK, sees the file message on her room
// stream and downloads the file from the link in it; bob's new avatar reaches her as an updateAvatar event.
import { randomUUID } from 'node:crypto';
import { DDPSDK } from '@rocket.chat/ddp-client';
import { ok, restClient, run, within } from './lib.mjs';

const [baseUrl, adminUser, adminPass] = process.argv.slice(2);
const { rest, login } = restClient(baseUrl);
const tag = randomUUID().slice(0, 8);

async function main() {
  const admin = await login(adminUser, adminPass);
  const names = { alice: `alice-f${tag}`, bob: `bob-f${tag}` };
  for (const name of Object.values(names)) {
    await rest('/api/v1/users.create', { method: 'POST', auth: admin,
      body: { username: name, email: `${name}@caravan.test`, password: `${name}-pw`, name } });
  }
  const room = (await rest('/api/v1/channels.create', { method: 'POST', auth: admin,
    body: { name: `files-${tag}`, members: Object.values(names) } })).channel;
  const aliceRest = await login(names.alice, `${names.alice}-pw`);
  const bobRest = await login(names.bob, `${names.bob}-pw`);

  const alice = await DDPSDK.createAndConnect(baseUrl);
  await alice.account.loginWithToken(aliceRest.authToken);
  let onMessage = () => {};
  await alice.stream('room-messages', room._id, (message) => onMessage(message)).ready();
  const content = `a shared text file ${tag}\n`.repeat(50);
  const arrived = new Promise((resolve) => { onMessage = (m) => { if (m.file && m.file.name === 'shared.txt') resolve(m); }; });

  const form = new FormData();
  form.append('file', new Blob([content], { type: 'text/plain' }), 'shared.txt');
  form.append('msg', 'read this');
  await rest(`/api/v1/rooms.upload/${room._id}`, { method: 'POST', auth: bobRest, form });
  const message = await within(10000, 'file message on the stream', arrived);
  const attachment = message.attachments && message.attachments[0];
  if (message.msg !== 'read this' || !attachment || attachment.type !== 'file' || !attachment.title_link) {
    throw new Error(`file message as received: ${JSON.stringify(message)}`);
  }
  ok('file-message-on-stream', message._id);

  const download = await fetch(baseUrl + attachment.title_link,
    { headers: { 'X-User-Id': aliceRest.userId, 'X-Auth-Token': aliceRest.authToken } });
  const text = await download.text();
  if (download.status !== 200 || text !== content) {
    throw new Error(`download: ${download.status}, ${text.length} of ${content.length} characters`);
  }
  ok('file-downloaded');

  let onAvatar = () => {};
  const avatarEvent = new Promise((resolve) => { onAvatar = (event) => { if (event && event.username === names.bob) resolve(event); }; });
  await alice.stream('notify-logged', 'updateAvatar', (event) => onAvatar(event)).ready();
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  const avatarForm = new FormData();
  avatarForm.append('image', new Blob([png], { type: 'image/png' }), 'me.png');
  await rest('/api/v1/users.setAvatar', { method: 'POST', auth: bobRest, form: avatarForm });
  const event = await within(10000, 'updateAvatar event', avatarEvent);
  if (!event.avatarETag) throw new Error(`updateAvatar without an ETag: ${JSON.stringify(event)}`);
  ok('avatar-event', event.avatarETag);

  await alice.connection.close();
}

run(main);
