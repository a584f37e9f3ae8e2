// The public API of @licensewatch/charts: the two charts and what describes their output. The
// font registration and the hourly reduction are internal steps of drawing (`tooling/public-api.json`).
export type { PoolChartInput } from './pool-chart.js';
export { CHART_COLOURS, CHART_SIZE, renderPoolChart } from './pool-chart.js';
export type { ProductChartInput } from './product-chart.js';
export { renderProductChart } from './product-chart.js';
