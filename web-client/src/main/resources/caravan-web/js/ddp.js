// A small DDP client (Meteor's protocol, version "1") over /websocket: methods, stream subscriptions, ping/pong, and
// reconnection with backoff that logs in again by resume token and re-subscribes; onReconnect lets the app catch up.

export class Ddp {
  constructor(url) {
    this.url = url;
    this.nextId = 1;
    this.pending = new Map();
    this.subs = new Map();
    this.listeners = new Map();
    this.statusListeners = new Set();
    this.reconnectListeners = new Set();
    this.resumeToken = null;
    this.connected = false;
    this.attempt = 0;
    this.closed = false;
    this.everConnected = false;
    this.queue = [];
  }

  start() {
    this.closed = false;
    this.open();
  }

  open() {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener('open', () => this.send({ msg: 'connect', version: '1', support: ['1'] }, true));
    socket.addEventListener('message', (event) => this.receive(event.data));
    socket.addEventListener('close', () => this.dropped(socket));
    socket.addEventListener('error', () => socket.close());
  }

  stop() {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    if (this.socket) this.socket.close();
  }

  dropped(socket) {
    if (socket !== this.socket) return;
    clearInterval(this.pingTimer);
    const wasConnected = this.connected;
    this.connected = false;
    for (const { reject } of this.pending.values()) reject(new Error('disconnected'));
    this.pending.clear();
    if (wasConnected) this.emitStatus('reconnecting');
    if (this.closed) return;
    const delay = Math.min(10000, 500 * 2 ** this.attempt) * (0.75 + Math.random() / 2);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  send(message, always = false) {
    if (!always && !this.connected) {
      this.queue.push(message);
      return;
    }
    this.socket.send(JSON.stringify(message));
  }

  async receive(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    switch (message.msg) {
      case 'connected':
        await this.connectedAgain();
        break;
      case 'ping':
        this.socket.send(JSON.stringify(message.id ? { msg: 'pong', id: message.id } : { msg: 'pong' }));
        break;
      case 'pong':
        this.lastPong = Date.now();
        break;
      case 'result': {
        const call = this.pending.get(message.id);
        if (!call) break;
        this.pending.delete(message.id);
        if (message.error) call.reject(Object.assign(new Error(message.error.reason || message.error.error), message.error));
        else call.resolve(message.result);
        break;
      }
      case 'changed': {
        const handlers = this.listeners.get(`${message.collection}|${message.fields && message.fields.eventName}`);
        if (handlers) for (const handler of handlers) handler(...((message.fields && message.fields.args) || []));
        const any = this.listeners.get(`${message.collection}|*`);
        if (any) for (const handler of any) handler(message.fields || {}, message.id);
        break;
      }
      case 'nosub':
        if (message.error) console.warn('subscription refused', message.id, message.error);
        break;
      default:
        break;
    }
  }

  async connectedAgain() {
    this.attempt = 0;
    this.connected = true;
    this.lastPong = Date.now();
    clearInterval(this.pingTimer);
    // our own heartbeat: a socket that stays silent is dropped and opened again
    this.pingTimer = setInterval(() => {
      if (Date.now() - this.lastPong > 45000) this.socket.close();
      else this.send({ msg: 'ping', id: `p${this.nextId++}` });
    }, 15000);
    if (this.resumeToken) {
      try {
        await this.call('login', { resume: this.resumeToken });
      } catch (error) {
        this.emitStatus('unauthorized');
        return;
      }
    }
    for (const [id, sub] of this.subs) this.send({ msg: 'sub', id, name: sub.name, params: sub.params });
    const queued = this.queue.splice(0);
    for (const message of queued) this.send(message);
    this.emitStatus('connected');
    if (this.everConnected) for (const listener of this.reconnectListeners) listener();
    this.everConnected = true;
  }

  call(method, ...params) {
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.connected || method === 'login') this.socket.send(JSON.stringify({ msg: 'method', id, method, params }));
      else this.queue.push({ msg: 'method', id, method, params });
    });
  }

  /** Subscribes to a stream event; returns a function that unsubscribes. */
  stream(name, eventName, handler, extra = { useCollection: false, args: [] }) {
    const id = `s${this.nextId++}`;
    const params = [eventName, extra];
    this.subs.set(id, { name, params });
    const key = `${name}|${eventName}`;
    if (!this.listeners.has(key)) this.listeners.set(key, new Set());
    this.listeners.get(key).add(handler);
    if (this.connected) this.send({ msg: 'sub', id, name, params });
    return () => {
      this.subs.delete(id);
      this.listeners.get(key)?.delete(handler);
      if (this.connected) this.send({ msg: 'unsub', id });
    };
  }

  onStatus(listener) {
    this.statusListeners.add(listener);
  }

  onReconnect(listener) {
    this.reconnectListeners.add(listener);
  }

  emitStatus(status) {
    for (const listener of this.statusListeners) listener(status);
  }
}
