import { ConfigError } from '@switchboard/hub';
import { apikey } from './apikey.ts';
import { audit } from './audit.ts';
import { listRoles, listTools } from './inspect.ts';
import { pins } from './pins.ts';
import { runTask } from './run-task.ts';
import { serve } from './serve.ts';
import { runBuiltinServer, serverNames } from './servers.ts';
import { status } from './status.ts';
import { USAGE, UsageError } from './usage.ts';

const commands: Record<string, (argv: string[]) => Promise<void>> = {
  serve,
  server: runBuiltinServer,
  run: runTask,
  tools: listTools,
  roles: listRoles,
  audit,
  apikey,
  status,
  pins,
  'test-server': async (argv) => {
    const { main } = await import('@switchboard/test-server/main');
    await main(argv);
  },
};

/** The `switchboard` CLI. Mistakes print one line naming what is wrong and exit 2. */
export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE.replace('SERVERS', serverNames.join(', '))}\n`);
    return;
  }
  const run = commands[command];
  try {
    if (run === undefined) throw new UsageError(`unknown command '${command}' (try: switchboard help)`);
    await run(rest);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || isArgError(error) || isToolConfigError(error)) {
      process.stderr.write(`switchboard: ${(error as Error).message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

function isArgError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
}

function isToolConfigError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'INVALID_CONFIG';
}
