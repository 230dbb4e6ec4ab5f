// What the client scripts share: the REST calls a Rocket.Chat client makes, and a line per check.
import { createHash } from 'node:crypto';
import WebSocket from 'ws';

globalThis.WebSocket = WebSocket;

export const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const deadline = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout: ${what}`)), ms));
export const within = (ms, what, promise) => Promise.race([promise, deadline(ms, what)]);

/** A REST client of one server: JSON in and out, X-User-Id/X-Auth-Token once logged in. */
export function restClient(baseUrl) {
  async function rest(path, { method = 'GET', body, auth, form } = {}) {
    const headers = form ? {} : { 'Content-Type': 'application/json' };
    if (auth) {
      headers['X-User-Id'] = auth.userId;
      headers['X-Auth-Token'] = auth.authToken;
    }
    const payload = form || (body ? JSON.stringify(body) : undefined);
    const response = await fetch(baseUrl + path, { method, headers, body: payload });
    const json = await response.json();
    if (!response.ok) {
      throw new Error(`${method} ${path} -> ${response.status} ${JSON.stringify(json)}`);
    }
    return json;
  }
  async function login(username, password) {
    const { data } = await rest('/api/v1/login', { method: 'POST', body: { user: username, password } });
    return data;
  }
  return { rest, login };
}

export function ok(name, detail = '') {
  console.log(`ok ${name} ${detail}`);
}

/** Runs a script's main: "all passed" and exit 0, or the failure and exit 1. */
export function run(main) {
  main().then(() => {
    console.log('all passed');
    process.exit(0);
  }).catch((error) => {
    console.error(`FAILED: ${error.stack || error.message || error}`);
    process.exit(1);
  });
}
