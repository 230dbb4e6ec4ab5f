// The message pipeline over DDP with Rocket.Chat's own client library: run by the integration tests as
//   node pipeline.mjs <baseUrl> <username> <password> <roomId> <text to send> <text to edit it to> <text the server refuses>
// Prints one JSON line per method call: {"call": name, "result"|"error": ...}; exits non-zero if a call fails unexpectedly.
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { DDPSDK } from '@rocket.chat/ddp-client';

globalThis.WebSocket = WebSocket;

const [baseUrl, username, password, rid, sendText, editText, refusedText] = process.argv.slice(2);
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const print = (call, outcome) => console.log(JSON.stringify({ call, ...outcome }));

async function main() {
  const sdk = await DDPSDK.createAndConnect(baseUrl);
  await sdk.account.loginWithPassword(username, sha256(password));
  const sent = await sdk.call('sendMessage', { rid, msg: sendText });
  print('sendMessage', { result: sent });
  await sdk.call('updateMessage', { _id: sent._id, rid, msg: editText });
  print('updateMessage', { result: { _id: sent._id } });
  try {
    const refused = await sdk.call('sendMessage', { rid, msg: refusedText });
    print('refusedSendMessage', { result: refused });
  } catch (error) {
    print('refusedSendMessage', { error: { error: error.error, reason: error.reason, message: error.message } });
  }
  sdk.connection.close();
  console.log('all done');
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
