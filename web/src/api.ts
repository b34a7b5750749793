// The server's HTTP API as the pages call it: Prometheus' /api/v1 (in its envelope) and the
// built-in Alertmanager's /api/v2 (bare JSON); same origin, errors as exceptions that carry the
// API's error type and message.

import type { QueryData } from './series';

export class ApiError extends Error {
  constructor(
    readonly type: string, // The API's errorType: "bad_data", "timeout", ...; "network" offline.
    message: string,
  ) {
    super(message);
  }
}

interface Envelope<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
}

// Query parameters: a record, or pairs where a name repeats (match[]).
export type Params = Record<string, string> | [string, string][];

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    if (init.signal?.aborted) throw e;
    throw new ApiError('network', `cannot reach the server: ${(e as Error).message}`);
  }
}

// GETs /api/v1/`endpoint` with `params`; `signal` cancels it.
export async function apiGet<T>(endpoint: string, params: Params, signal?: AbortSignal): Promise<T> {
  const url = `/api/v1/${endpoint}?${new URLSearchParams(params).toString()}`;
  const response = await send(url, { signal });
  let body: Envelope<T>;
  try {
    body = (await response.json()) as Envelope<T>;
  } catch {
    throw new ApiError('bad_response', `${url} answered ${response.status} without JSON`);
  }
  if (body.status !== 'success' || body.data === undefined) {
    throw new ApiError(body.errorType ?? 'unknown', body.error ?? `HTTP ${response.status}`);
  }
  return body.data;
}

export function queryRange(
  expr: string,
  start: number,
  end: number,
  step: number,
  signal?: AbortSignal,
): Promise<QueryData> {
  return apiGet<QueryData>(
    'query_range',
    { query: expr, start: String(start), end: String(end), step: String(step) },
    signal,
  );
}

export function queryInstant(expr: string, time: number, signal?: AbortSignal): Promise<QueryData> {
  return apiGet<QueryData>('query', { query: expr, time: String(time) }, signal);
}

// Calls the Alertmanager API v2 at /api/v2/`endpoint`: GET by default, a JSON `body` when given.
// Its errors are a JSON string (or text) with a 4xx or 5xx status.
export async function alertmanagerCall<T>(
  endpoint: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const url = `/api/v2/${endpoint}`;
  const response = await send(url, {
    method: init.method ?? 'GET',
    signal: init.signal,
    headers: init.body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  if (!response.ok) {
    const message = typeof body === 'string' ? body : `HTTP ${response.status}`;
    throw new ApiError(response.status === 404 ? 'not_found' : 'bad_data', `${url}: ${message}`);
  }
  return body as T;
}
