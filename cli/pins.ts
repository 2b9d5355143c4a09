import { parseArgs } from 'node:util';
import { loadHubConfig, pinFileOf, ToolPinStore } from '@switchboard/hub';
import { UsageError } from './usage.ts';

/**
 * `switchboard pins [list] | approve TOOL... | approve --all [--config FILE]`: the approved tool
 * definitions (tool pinning) and the redefinitions a hub blocked. Approving writes the pin file; a
 * running hub notices within a second or two and lists the tool again. Deliberately a CLI command
 * on the host, never a hub tool: an agent must not approve its own tools.
 */
export async function pins(argv: string[]): Promise<void> {
  await runPins(argv, (text) => process.stdout.write(text));
}

/** `pins` writing to `write`. */
export async function runPins(argv: string[], write: (text: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const loaded = loadHubConfig(values.config ? { file: values.config } : {});
  const file = pinFileOf(loaded.baseDir, loaded.config.hub);
  const store = new ToolPinStore(file);
  const [action = 'list', ...tools] = positionals;
  if (action === 'list') {
    const report = { file, pending: Object.fromEntries(store.pendingEntries()), approved: Object.fromEntries(store.entries()) };
    if (values.json) write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      write(`pins: ${file}\n`);
      const pending = store.pendingEntries();
      write(pending.length === 0 ? 'no redefined tools awaiting approval\n' : 'redefined since approval, blocked until approved:\n');
      for (const [tool, p] of pending) write(`  ${tool.padEnd(40)} (${p.upstream}, seen ${p.seenAt})\n`);
      write(`${store.entries().length} approved tool definitions\n`);
    }
    return;
  }
  if (action !== 'approve') throw new UsageError(`switchboard pins: unknown action '${action}' (list, approve)`);
  const names = values.all ? store.pendingEntries().map(([tool]) => tool) : tools;
  if (names.length === 0) throw new UsageError('switchboard pins approve: name the tools to approve, or --all');
  const unknown = names.filter((tool) => !store.approvePending(tool));
  for (const tool of names.filter((t) => !unknown.includes(t))) write(`approved ${tool}\n`);
  if (unknown.length > 0) throw new UsageError(`nothing pending for ${unknown.join(', ')} (switchboard pins list shows what is)`);
}
