#!/usr/bin/env node
// The published entry point: registers tsx so the TypeScript sources run as they are, then hands
// over to the CLI. No build step means what the tests run is exactly what users run.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/index.ts');
await main(process.argv.slice(2));
