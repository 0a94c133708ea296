export { cachedReading, observeGauge, type GaugeReading } from './gauges';
