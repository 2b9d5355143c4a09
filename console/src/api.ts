// The console talks to the hub only through the /v1 JSON endpoints (docs/api.md), with the signed-in
// principal's bearer token. The token lives in sessionStorage: gone when the tab closes, never in a
// cookie (so no request carries it without the console asking) and never in a URL.

const TOKEN_KEY = 'switchboard.token';

export function savedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function saveToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

/** An answer other than 2xx, with the hub's error code and message (`{ error: { code, message, field } }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

let onUnauthorized: () => void = () => {};
/** What to do when the hub refuses the token (401): the app goes back to the sign-in page. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export function authHeaders(token = savedToken()): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** A request to the hub; throws ApiError for refusals and failures, with the hub's own words. */
export async function request(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = { ...authHeaders(), accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { ...init, method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (response.ok) return response;
  let code = `HTTP_${response.status}`;
  let message = response.statusText || `the hub answered ${response.status}`;
  let field: string | undefined;
  const text = await response.text();
  try {
    const parsed = JSON.parse(text);
    if (parsed?.error?.message)
      ({ code, message, field } = { code: parsed.error.code ?? code, message: parsed.error.message, field: parsed.error.field });
    else if (typeof parsed?.error_description === 'string')
      ({ code, message } = { code: parsed.error ?? code, message: parsed.error_description });
  } catch {
    if (text.trim()) message = text.trim().slice(0, 300);
  }
  if (response.status === 401) onUnauthorized();
  throw new ApiError(response.status, code, message, field);
}

export async function getJson<T>(path: string): Promise<T> {
  return (await request('GET', path)).json() as Promise<T>;
}

export async function sendJson<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return (await request(method, path, body)).json() as Promise<T>;
}

/** Query string from defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
