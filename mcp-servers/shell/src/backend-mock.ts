import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { ToolError } from '@switchboard/kit';
import { parse } from 'yaml';
import { z } from 'zod';
import { errnoError, type FileAccess, type RunOutcome, type RunSpec, type ShellBackend } from './backend.ts';
import { CappedOutput } from './output.ts';

const ScriptedSchema = z.strictObject({
  argv: z.array(z.string()).min(1).describe("the argv to answer; a last element '*' matches any further arguments"),
  cwd: z.string().optional().describe('only in this directory'),
  exitCode: z.number().int().default(0),
  stdout: z.string().default(''),
  stderr: z.string().default(''),
  delayMs: z.number().int().min(0).default(0).describe('how long the command "runs" (a timeout applies)'),
});
export type ScriptedResult = z.infer<typeof ScriptedSchema>;
export const ScriptSchema = z.array(ScriptedSchema);

/**
 * Scripted commands with the real backends' contract: the same policy runs first, results carry the
 * same fields, timeouts and output caps behave the same. Scripted entries win; without one, a few
 * harmless built-ins answer (echo, true, false, pwd, printenv, cat, sleep, yes), and anything else
 * exits 127. Paths inside the roots exist as directories; nothing outside them does.
 */
export class MockShellBackend implements ShellBackend {
  readonly kind = 'mock';
  readonly files: FileAccess;
  private readonly stored = new Map<string, Uint8Array>();

  constructor(
    private readonly roots: readonly string[],
    private readonly script: readonly ScriptedResult[] = [],
  ) {
    this.files = {
      readFile: async (path, maxBytes) => {
        const data = this.stored.get(path);
        if (data === undefined) throw errnoError('ENOENT', path);
        if (data.byteLength > maxBytes) throw errnoError('EFBIG', path, { size: data.byteLength });
        return data.slice();
      },
      writeFile: async (path, data) => {
        this.stored.set(path, data.slice());
      },
    };
  }

  static fromFile(roots: readonly string[], file: string): MockShellBackend {
    const parsed = ScriptSchema.safeParse(parse(readFileSync(file, 'utf8')) ?? []);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ToolError('INVALID_CONFIG', `--script '${file}': ${issue?.path.join('.')}: ${issue?.message}`, 'script');
    }
    return new MockShellBackend(roots, parsed.data);
  }

  async resolveExecutable(name: string): Promise<string> {
    return name.startsWith('/') ? name : `/mock/bin/${name}`;
  }

  async realpath(path: string): Promise<string> {
    const normal = posix.normalize(path);
    if (this.inside(normal) || this.stored.has(normal)) return normal;
    throw errnoError('ENOENT', path);
  }

  async isDirectory(path: string): Promise<boolean> {
    return this.inside(posix.normalize(path)) && !this.stored.has(posix.normalize(path));
  }

  async run(spec: RunSpec): Promise<RunOutcome> {
    const started = performance.now();
    const answer = this.answer(spec);
    const stdout = new CappedOutput(spec.maxOutputBytes);
    const stderr = new CappedOutput(spec.maxOutputBytes);
    // Output comes first, as from a real command that writes and is then killed.
    stdout.push(answer.stdout);
    stderr.push(answer.stderr);
    const timedOut = await wait(answer.delayMs, spec.timeoutMs, spec.signal);
    return {
      exitCode: timedOut ? null : answer.exitCode,
      signal: timedOut ? 'SIGKILL' : null,
      stdout: stdout.text(),
      stderr: stderr.text(),
      truncated: { stdout: stdout.truncated, stderr: stderr.truncated },
      timedOut,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    };
  }

  async close(): Promise<void> {}

  private inside(path: string): boolean {
    return this.roots.some((root) => path === root || path.startsWith(`${root}/`));
  }

  private answer(spec: RunSpec): Pick<ScriptedResult, 'exitCode' | 'stdout' | 'stderr' | 'delayMs'> {
    const scripted = this.script.find((entry) => matches(entry, spec));
    if (scripted) return scripted;
    const [name, ...args] = spec.argv;
    const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '', delayMs: 0 });
    switch (name) {
      case 'echo':
        return ok(`${args.join(' ')}\n`);
      case 'true':
        return ok('');
      case 'false':
        return { exitCode: 1, stdout: '', stderr: '', delayMs: 0 };
      case 'pwd':
        return ok(`${spec.cwd}\n`);
      case 'cat':
        return ok(spec.stdin ?? '');
      case 'printenv': {
        if (args.length > 0) {
          const values = args.map((arg) => spec.env[arg]).filter((value) => value !== undefined);
          return { exitCode: values.length === args.length ? 0 : 1, stdout: values.map((v) => `${v}\n`).join(''), stderr: '', delayMs: 0 };
        }
        return ok(
          Object.entries(spec.env)
            .map(([k, v]) => `${k}=${v}\n`)
            .join(''),
        );
      }
      case 'sleep':
        return { ...ok(''), delayMs: Math.round(Number(args[0] ?? 0) * 1000) };
      case 'yes':
        // Endless, as in real life: more than any cap, then it runs until the timeout kills it.
        return { ...ok(`${args[0] ?? 'y'}\n`.repeat(spec.maxOutputBytes)), delayMs: Number.MAX_SAFE_INTEGER };
      default:
        return { exitCode: 127, stdout: '', stderr: `mock: no scripted result for '${spec.argv.join(' ')}'\n`, delayMs: 0 };
    }
  }
}

function matches(entry: ScriptedResult, spec: RunSpec): boolean {
  if (entry.cwd !== undefined && entry.cwd !== spec.cwd) return false;
  const wildcard = entry.argv.at(-1) === '*';
  const fixed = wildcard ? entry.argv.slice(0, -1) : entry.argv;
  if (wildcard ? spec.argv.length < fixed.length : spec.argv.length !== fixed.length) return false;
  return fixed.every((arg, index) => arg === spec.argv[index]);
}

/** Resolves true if the timeout (or cancellation) came first. */
function wait(ms: number, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (timedOut: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', cancel);
      resolve(timedOut);
    };
    const cancel = () => done(true);
    const timer = setTimeout(() => done(ms > timeoutMs), Math.min(ms, timeoutMs));
    signal.addEventListener('abort', cancel, { once: true });
  });
}
