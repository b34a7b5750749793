// A time-series graph drawn by uPlot: one line per series, a legend with each series' value under
// the cursor, values and axis in `unit`, the value axis between the bounds given. Drawn again
// when the data, the unit or the theme change, and resized with the window.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

import { themeColor, type Theme } from './theme';
import { formatValue, type Unit } from './units';

// Colours that tell series apart on both themes.
const kPalette = [
  '#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2',
  '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
];
const kDefaultHeight = 340;

interface Props {
  data: uPlot.AlignedData;
  names: string[]; // One per series of `data`, after the timestamps.
  unit: Unit;
  theme: Theme;
  height?: number; // Of the plot, in pixels, without the legend.
  yMin?: number; // Bounds of the value axis; from the data when absent.
  yMax?: number;
}

export function Graph(props: Props) {
  const { data, names, unit, theme, height = kDefaultHeight, yMin, yMax } = props;
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current!;
    const axis = {
      stroke: themeColor('--text-muted'),
      grid: { stroke: themeColor('--grid'), width: 1 },
      ticks: { stroke: themeColor('--grid'), width: 1 },
    };
    const value = (_: uPlot, v: number | null) => (v == null ? '–' : formatValue(v, unit));
    const plot = new uPlot(
      {
        width: el.clientWidth,
        height,
        series: [
          { label: 'Time' },
          ...names.map((label, i) => ({
            label,
            stroke: kPalette[i % kPalette.length],
            width: 1.5,
            value,
          })),
        ],
        axes: [
          axis,
          { ...axis, size: 80, values: (_: uPlot, ticks: number[]) => ticks.map((v) => formatValue(v, unit)) },
        ],
        // uPlot pads the data's own range; a bound given is kept as it is.
        scales:
          yMin === undefined && yMax === undefined
            ? {}
            : { y: { range: (_: uPlot, min: number, max: number) => [yMin ?? min, yMax ?? max] } },
        cursor: { drag: { x: true, y: false } },
      },
      data,
      el,
    );
    const resize = () => plot.setSize({ width: el.clientWidth, height });
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [data, names, unit, theme, height, yMin, yMax]);
  return <div class="graph" ref={box} />;
}
