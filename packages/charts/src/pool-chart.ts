import { formatMonthDay, formatNumber, formatRate, type HistoryPoint } from '@licensewatch/alerts';
import { createCanvas } from '@napi-rs/canvas';
import {
  Chart,
  type ChartConfiguration,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  type Plugin,
  PointElement,
  type Tick,
  Title,
} from 'chart.js';
import { CHART_FONT, registerChartFont } from './font.js';
import { type ChartPoint, chartPoints } from './series.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Title, Legend, Filler);

const DAY = 86_400_000;

/** What a pool chart shows. */
export interface PoolChartInput {
  /** Title: the product name and code. */
  title: string;
  /** `available` readings, oldest first (the last 30 days are shown). */
  history: readonly HistoryPoint[];
  /** The right edge of the history ("today"). */
  now: number;
  low: number;
  critical: number;
  /** The burn rate and its starting point: drawn as a dashed projection towards zero. */
  forecast?: { perDay: number; from: HistoryPoint } | undefined;
  /** Days of history shown. Default 30. */
  days?: number;
  /** A note under the title, e.g. "demo data". */
  subtitle?: string | undefined;
  width?: number;
  height?: number;
}

/** Default size: readable in a Slack thread and on a laptop screen. */
export const CHART_SIZE = { width: 960, height: 480 } as const;

/** Colours of the chart's lines (also what the tests look for in the pixels). */
export const CHART_COLOURS = {
  available: '#1f6feb',
  low: '#d97706',
  critical: '#dc2626',
  forecast: '#7c3aed',
  background: '#ffffff',
} as const;

const whiteBackground: Plugin<'line'> = {
  id: 'licensewatch-background',
  beforeDraw: (chart) => {
    const { ctx } = chart;
    ctx.save();
    ctx.fillStyle = CHART_COLOURS.background;
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/**
 * A y-axis label as Chart.js's own numeric tick formatter writes it (as many decimals as the step
 * between ticks needs: `0.5`, `1.0`, `1,500`), with `formatNumber` instead of `Intl.NumberFormat`,
 * whose locale data would cost the bot ~5 MiB of RSS for a few axis labels. Counts never reach the
 * 1e15 where Chart.js switches to scientific notation.
 */
export function countTickLabel(value: number | string, _index: number, ticks: Tick[]): string {
  const tickValue = Number(value);
  if (tickValue === 0) return '0';
  let delta = tickValue;
  if (ticks.length > 1) {
    const at = (index: number) => (ticks[index] as Tick).value;
    const step = ticks.length > 3 ? at(2) - at(1) : at(1) - at(0);
    delta = Math.abs(step) >= 1 && tickValue !== Math.floor(tickValue) ? tickValue - Math.floor(tickValue) : step;
  }
  const logDelta = Math.log10(Math.abs(delta));
  const decimals = Number.isNaN(logDelta) ? 1 : Math.max(Math.min(-Math.floor(logDelta), 20), 0);
  return formatNumber(tickValue, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Where the projection ends: at zero, or at the right edge of the chart. */
function projection(input: PoolChartInput, right: number): ChartPoint[] {
  const { forecast, now } = input;
  if (!forecast || !(forecast.perDay > 0)) return [];
  const x0 = (forecast.from.at - now) / DAY;
  const toZero = forecast.from.available / forecast.perDay;
  const x1 = Math.min(right, x0 + toZero);
  return [
    { x: x0, y: forecast.from.available },
    { x: x1, y: Math.max(0, forecast.from.available - forecast.perDay * (x1 - x0)) },
  ];
}

/** How far right the chart reaches: a week past today, or up to 30 days to show where the forecast hits zero. */
function rightEdge(input: PoolChartInput): number {
  const { forecast } = input;
  if (!forecast || !(forecast.perDay > 0)) return 1;
  return Math.min(30, Math.max(3, Math.ceil(forecast.from.available / forecast.perDay) + 1));
}

function configuration(input: PoolChartInput): ChartConfiguration<'line', ChartPoint[]> {
  const days = input.days ?? 30;
  const left = -days;
  const right = rightEdge(input);
  const history = chartPoints(
    input.history.filter((p) => p.at >= input.now - days * DAY && p.at <= input.now),
    input.now,
  );
  const level = (y: number) => [
    { x: left, y },
    { x: right, y },
  ];
  const common = { pointRadius: 0, borderWidth: 2, tension: 0 } as const;
  return {
    type: 'line',
    data: {
      datasets: [
        { ...common, label: 'available', data: history, borderColor: CHART_COLOURS.available, borderWidth: 3 },
        {
          ...common,
          label: `low at ≤ ${input.low}`,
          data: level(input.low),
          borderColor: CHART_COLOURS.low,
          borderDash: [8, 6],
        },
        {
          ...common,
          label: `critical at ≤ ${input.critical}`,
          data: level(input.critical),
          borderColor: CHART_COLOURS.critical,
          borderDash: [8, 6],
        },
        ...(input.forecast && input.forecast.perDay > 0
          ? [
              {
                ...common,
                label: `forecast: ${formatRate(input.forecast.perDay)}`,
                data: projection(input, right),
                borderColor: CHART_COLOURS.forecast,
                borderDash: [3, 4],
              },
            ]
          : []),
      ],
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      parsing: false,
      normalized: true,
      plugins: {
        title: { display: true, text: input.title, font: { size: 18, weight: 'bold', family: CHART_FONT } },
        subtitle: { display: false },
        legend: { position: 'bottom', labels: { font: { family: CHART_FONT, size: 13 }, boxHeight: 2 } },
      },
      scales: {
        x: {
          type: 'linear',
          min: left,
          max: right,
          ticks: {
            stepSize: 5,
            font: { family: CHART_FONT, size: 12 },
            callback: (value) => (Number(value) === 0 ? 'today' : formatMonthDay(input.now + Number(value) * DAY)),
          },
        },
        y: {
          type: 'linear',
          beginAtZero: true,
          ticks: { font: { family: CHART_FONT, size: 12 }, callback: countTickLabel },
          title: { display: true, text: 'licenses available', font: { family: CHART_FONT, size: 13 } },
        },
      },
    },
    plugins: [whiteBackground, subtitlePlugin(input.subtitle)],
  };
}

/** Draws a small grey note in the top right corner (e.g. "demo data"). */
function subtitlePlugin(text: string | undefined): Plugin<'line'> {
  return {
    id: 'licensewatch-note',
    afterDraw: (chart) => {
      if (!text) return;
      const { ctx } = chart;
      ctx.save();
      ctx.font = `13px "${CHART_FONT}"`;
      ctx.fillStyle = '#6b7280';
      ctx.textAlign = 'right';
      ctx.fillText(text, chart.width - 12, 20);
      ctx.restore();
    },
  };
}

/**
 * Renders a pool's chart to PNG bytes: 30 days of `available`, the warning and critical levels as
 * dashed lines, and the forecast as a dashed projection towards zero. Server-side (Chart.js drawing
 * on Skia through `@napi-rs/canvas`), with the bundled DejaVu Sans font; deterministic for the same
 * input.
 *
 * @example
 * ```ts
 * const png = renderPoolChart({ title: 'Apex One (NNZBXXE1X)', history, now: Date.now(), low: 100, critical: 20 })
 * writeFileSync('chart.png', png)
 * ```
 */
export function renderPoolChart(input: PoolChartInput): Buffer {
  registerChartFont();
  const width = input.width ?? CHART_SIZE.width;
  const height = input.height ?? CHART_SIZE.height;
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  // Chart.js draws on any 2D context; in Node it uses its basic (DOM-less) platform.
  const chart = new Chart(context as unknown as ConstructorParameters<typeof Chart>[0], configuration(input));
  try {
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}
