// The resolution of a range query: how many seconds between points, from the graph's width.

// Steps people read easily, in seconds.
const kNiceSteps = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];
// The most points a range query may return per series (Prometheus' limit, which Argus keeps).
export const kMaxPoints = 11000;
// Pixels per point: finer would draw points nobody can tell apart.
const kPixelsPerPoint = 2;

// The step, in seconds, for a graph `widthPx` wide over `rangeSeconds`: about one point per two
// pixels, rounded up to a step from kNiceSteps (or whole days past them), never under `minStep`
// and never so small that a series passes kMaxPoints.
export function chooseStep(rangeSeconds: number, widthPx: number, minStep = 1): number {
  const points = Math.max(1, Math.floor(widthPx / kPixelsPerPoint));
  const wanted = Math.max(rangeSeconds / points, rangeSeconds / kMaxPoints, minStep);
  for (const step of kNiceSteps) {
    if (step >= wanted) return step;
  }
  return Math.ceil(wanted / 86400) * 86400;
}
