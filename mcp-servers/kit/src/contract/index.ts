export { type ContractBackend, type ContractHarness, contractSuite } from './harness.ts';
