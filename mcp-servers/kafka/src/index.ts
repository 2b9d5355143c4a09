export type { BatchOutcome, ConsumedRecord, KafkaBackend, OutgoingRecord, PartitionInfo, ProducedRecord } from './backend.ts';
export { MemoryKafkaBackend } from './backend-mock.ts';
export { createKafkaBackend } from './backend-real.ts';
export { type KafkaConfig, KafkaConfigSchema } from './config.ts';
export { checkGroup, checkHeaders, checkTopic } from './guard.ts';
export { createBackend, main, parseKafkaArgs } from './main.ts';
export { murmur2, Partitioner } from './partitioner.ts';
export { createServer } from './server.ts';
