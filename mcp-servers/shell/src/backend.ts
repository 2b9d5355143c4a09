/** The port the shell tools work through: a place where commands run (this machine, a mock, an SSH host). */
export interface RunSpec {
  /** Absolute path of the executable (resolved at start, never looked up per call). */
  file: string;
  /** argv[0] is the command's name as allowed; the rest are its arguments, passed as they are. */
  argv: readonly string[];
  cwd: string;
  /** The complete environment: nothing else is inherited. */
  env: Readonly<Record<string, string>>;
  stdin?: string;
  timeoutMs: number;
  maxOutputBytes: number;
  signal: AbortSignal;
}

export interface RunOutcome {
  exitCode: number | null;
  /** The signal that ended the command, e.g. SIGKILL after a timeout. */
  signal: string | null;
  stdout: string;
  stderr: string;
  truncated: { stdout: boolean; stderr: boolean };
  timedOut: boolean;
  durationMs: number;
}

/** File access for copy_to / copy_from: confined by the caller, atomic writes, size-capped reads. */
export interface FileAccess {
  /** EFBIG (with `size`) over `maxBytes`; ENOENT, EISDIR as usual; never follows a final symlink. */
  readFile(path: string, maxBytes: number): Promise<Uint8Array>;
  /** Temp file + rename in the target's directory; a symlink at `path` is replaced, not followed. */
  writeFile(path: string, data: Uint8Array): Promise<void>;
}

export interface ShellBackend {
  readonly kind: 'local' | 'mock' | 'ssh';
  /** Absolute path of `name` on this machine's PATH, or undefined. */
  resolveExecutable(name: string): Promise<string | undefined>;
  /** Many at once, where a round trip is expensive (SSH). */
  resolveExecutables?(names: readonly string[]): Promise<(string | undefined)[]>;
  /** Resolves every symlink; ENOENT when something along the way is missing. */
  realpath(path: string): Promise<string>;
  isDirectory(path: string): Promise<boolean>;
  run(spec: RunSpec): Promise<RunOutcome>;
  readonly files: FileAccess;
  close(): Promise<void>;
}

export function errnoError(code: string, message: string, extra: Record<string, unknown> = {}): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code, ...extra });
}
