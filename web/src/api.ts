// The server's HTTP API (Prometheus' /api/v1) as the pages call it: same origin, JSON, errors as
// exceptions that carry the API's error type and message.

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

// GETs /api/v1/`endpoint` with `params`; `signal` cancels it.
export async function apiGet<T>(
  endpoint: string,
  params: Record<string, string>,
  signal?: AbortSignal,
): Promise<T> {
  const url = `/api/v1/${endpoint}?${new URLSearchParams(params).toString()}`;
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError('network', `cannot reach the server: ${(e as Error).message}`);
  }
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
