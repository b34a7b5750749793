// Numbers as people read them on a graph's axis, in its legend and in a table: 1.5 MiB, 250 ms,
// 12.3k/s. Pure functions, no DOM.

export type Unit =
  | 'short' // A plain number, scaled with SI prefixes: 1.2k, 3.4M, 5m.
  | 'bytes' // IEC: KiB, MiB, GiB.
  | 'bytes/s'
  | 'seconds'
  | 'percent' // 0 to 100.
  | 'percentunit' // 0 to 1.
  | 'ops/s'
  | 'cores';

const kSiLarge: [number, string][] = [
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];
// Sub-units of the second: 250ms, 2µs.
const kSecondFractions: [number, string][] = [
  [1e-3, 'ms'],
  [1e-6, 'µs'],
  [1e-9, 'ns'],
];
const kIec = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

// Three significant digits, without trailing zeros (1.5, 12.3), and whole numbers past 100 (1023).
function digits(v: number): string {
  if (Math.abs(v) >= 100) return String(Math.round(v));
  return String(Number(v.toPrecision(3)));
}

// Large numbers with SI prefixes (1.23k, 4.5M); small ones as decimals (0.25), which read better
// than milli-units for counts and rates.
function si(v: number): string {
  const abs = Math.abs(v);
  for (const [factor, prefix] of kSiLarge) {
    if (abs >= factor) return digits(v / factor) + prefix;
  }
  return digits(v);
}

function bytes(v: number): string {
  let scaled = v;
  let i = 0;
  while (Math.abs(scaled) >= 1024 && i < kIec.length - 1) {
    scaled /= 1024;
    i++;
  }
  return `${digits(scaled)} ${kIec[i]}`;
}

function seconds(v: number): string {
  const abs = Math.abs(v);
  if (abs === 0) return '0 s';
  if (abs < 1) {
    for (const [factor, name] of kSecondFractions) {
      if (abs >= factor) return `${digits(v / factor)}${name}`;
    }
    return `${v.toExponential(2)} s`;
  }
  if (abs < 60) return `${digits(v)} s`;
  if (abs < 3600) return `${digits(v / 60)} min`;
  if (abs < 86400) return `${digits(v / 3600)} h`;
  return `${digits(v / 86400)} d`;
}

// `v` in `unit`, humanised; NaN and infinities as Prometheus writes them.
export function formatValue(v: number, unit: Unit = 'short'): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  switch (unit) {
    case 'short':
      return si(v);
    case 'bytes':
      return bytes(v);
    case 'bytes/s':
      return `${bytes(v)}/s`;
    case 'seconds':
      return seconds(v);
    case 'percent':
      return `${digits(v)}%`;
    case 'percentunit':
      return `${digits(v * 100)}%`;
    case 'ops/s':
      return `${si(v)}/s`;
    case 'cores':
      return `${digits(v)} ${v === 1 ? 'core' : 'cores'}`;
  }
}

// The unit a query's result is most likely in, from the names Prometheus' conventions give
// metrics (_bytes, _seconds, _ratio) and whether it takes a per-second rate.
export function guessUnit(expr: string): Unit {
  const quantile = /\bhistogram_quantile\s*\(/.test(expr);
  const rate = !quantile && /\b(rate|irate)\s*\(/.test(expr);
  if (/_bytes(_total|_bucket|_sum)?\b/.test(expr)) return rate ? 'bytes/s' : 'bytes';
  if (/_seconds(_total|_bucket|_sum)?\b/.test(expr)) {
    if (!rate) return 'seconds';
    return /cpu/.test(expr) ? 'cores' : 'short';
  }
  if (/_ratio\b/.test(expr)) return 'percentunit';
  return rate ? 'ops/s' : 'short';
}

// A dashboard's unit id (Grafana's: bytes, Bps, ms, reqps...) as the Unit its values are drawn in
// and the factor that turns them into it (ms are drawn as seconds times 0.001); ids with no Unit
// of their own are plain numbers.
export function dashboardUnit(id: string): { unit: Unit; scale: number } {
  const known: Record<string, [Unit, number]> = {
    percent: ['percent', 1],
    percentunit: ['percentunit', 1],
    bytes: ['bytes', 1],
    decbytes: ['bytes', 1],
    kbytes: ['bytes', 1024],
    mbytes: ['bytes', 1024 ** 2],
    gbytes: ['bytes', 1024 ** 3],
    Bps: ['bytes/s', 1],
    binBps: ['bytes/s', 1],
    KBs: ['bytes/s', 1024],
    MBs: ['bytes/s', 1024 ** 2],
    s: ['seconds', 1],
    dtdurations: ['seconds', 1],
    ms: ['seconds', 1e-3],
    us: ['seconds', 1e-6],
    ns: ['seconds', 1e-9],
    m: ['seconds', 60],
    h: ['seconds', 3600],
    d: ['seconds', 86400],
    cores: ['cores', 1],
    ops: ['ops/s', 1],
    reqps: ['ops/s', 1],
    rps: ['ops/s', 1],
    wps: ['ops/s', 1],
    iops: ['ops/s', 1],
  };
  const [unit, scale] = known[id] ?? ['short', 1];
  return { unit, scale };
}
