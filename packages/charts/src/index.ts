export { CHART_FONT, registerChartFont } from './font.js';
export type { PoolChartInput } from './pool-chart.js';
export { CHART_COLOURS, CHART_SIZE, renderPoolChart } from './pool-chart.js';
export type { ProductChartInput } from './product-chart.js';
export { renderProductChart } from './product-chart.js';
export type { ChartPoint } from './series.js';
export { chartPoints } from './series.js';
