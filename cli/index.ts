import { runBuiltinServer, serverNames } from './servers.ts';
import { USAGE, UsageError } from './usage.ts';

// Commands load on demand: `switchboard server <name>`, which is how the hub starts each built-in
// upstream, must not pay for loading the hub (seconds per process on a busy machine).
const commands: Record<string, (argv: string[]) => Promise<void>> = {
  serve: async (argv) => (await import('./serve.ts')).serve(argv),
  server: runBuiltinServer,
  run: async (argv) => (await import('./run-task.ts')).runTask(argv),
  tools: async (argv) => (await import('./inspect.ts')).listTools(argv),
  roles: async (argv) => (await import('./inspect.ts')).listRoles(argv),
  audit: async (argv) => (await import('./audit.ts')).audit(argv),
  apikey: async (argv) => (await import('./apikey.ts')).apikey(argv),
  status: async (argv) => (await import('./status.ts')).status(argv),
  pins: async (argv) => (await import('./pins.ts')).pins(argv),
  up: async (argv) => (await import('./up.ts')).up(argv),
  backup: async (argv) => (await import('./backup.ts')).backup(argv),
  restore: async (argv) => (await import('./backup.ts')).restore(argv),
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
    // A ConfigError (from the hub) carries code INVALID_CONFIG, like a server's ToolError.
    if (error instanceof UsageError || isArgError(error) || isToolConfigError(error)) {
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
