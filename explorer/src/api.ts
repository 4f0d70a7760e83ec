// The node's REST API (docs/api.md), read from the same origin that served the page.

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export async function get(path: string): Promise<any> {
  const r = await fetch(path, { headers: { Accept: 'application/json' } });
  const text = await r.text();
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { detail: text };
  }
  if (!r.ok) throw new ApiError(r.status, body?.detail ?? body?.error ?? `HTTP ${r.status}`);
  return body;
}

/** GET that answers null for a 404 (and 400 for a malformed id), so a search can try the next kind of thing. */
export async function find(path: string): Promise<any | null> {
  try {
    return await get(path);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) return null;
    throw e;
  }
}
