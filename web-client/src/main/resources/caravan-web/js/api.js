// The REST API (/api/v1) as the signed-in user: JSON in, JSON out; errors carry Rocket.Chat's `error`.

export class Api {
  constructor() {
    this.auth = null;
  }

  headers(json = true) {
    const headers = json ? { 'Content-Type': 'application/json' } : {};
    if (this.auth) {
      headers['X-User-Id'] = this.auth.userId;
      headers['X-Auth-Token'] = this.auth.authToken;
    }
    return headers;
  }

  async request(method, path, body, query) {
    let url = `/api/v1/${path}`;
    if (query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null) params.set(key, value);
      url += `?${params}`;
    }
    const form = body instanceof FormData;
    const response = await fetch(url, {
      method,
      headers: this.headers(!form),
      body: form ? body : body === undefined ? undefined : JSON.stringify(body),
    });
    let json = {};
    try {
      json = await response.json();
    } catch {
      json = {};
    }
    if (!response.ok || json.success === false) {
      const error = new Error(json.error || json.message || `${response.status} ${response.statusText}`);
      error.status = response.status;
      error.body = json;
      throw error;
    }
    return json;
  }

  get(path, query) {
    return this.request('GET', path, undefined, query);
  }

  post(path, body = {}) {
    return this.request('POST', path, body);
  }
}
