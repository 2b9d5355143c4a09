export { CORRELATION_META_KEY, correlationIdFrom } from './correlation.ts';
