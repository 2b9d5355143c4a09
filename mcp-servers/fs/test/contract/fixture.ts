import type { CallToolResult } from '@modelcontextprotocol/server';
import { errorOfResult } from '@switchboard/kit';
import type { ContractHarness } from '@switchboard/kit/contract';

/** What the suite needs from a backend: seed and inspect files, plant symlinks, stage races. */
export interface Fixture {
  write(relative: string, text: string): Promise<void>;
  read(relative: string): Promise<string | undefined>;
  mkdir(relative: string): Promise<void>;
  symlink(target: string, relative: string): Promise<void>;
  /** Replaces what is at `relative` with a symlink to `target`: the attacker's move. */
  swapForSymlink(relative: string, target: string): Promise<void>;
  /** Runs `action` once, the next time the backend reaches `operation` between its check and its use. */
  armRace(operation: string, action: () => Promise<void>): void;
  /** Did the armed race run? (A race test that never raced proves nothing.) */
  raced(): boolean;
  /** Absolute path of a file outside every root, holding `top secret`. */
  secret: string;
  /** Absolute path of a directory outside every root, holding `secret.txt`. */
  outside: string;
  /** Lists what is in `outside` (names), to show nothing appeared there. */
  outsideNames(): Promise<string[]>;
  /** The secret file's content, read directly (to show it was not written through a symlink). */
  secretText(): Promise<string>;
  /** A configured root that does not exist. */
  missingRoot: string;
  /** A configured read-only root holding `ro.txt`. */
  readOnlyRoot: string;
  /** A protected directory inside the first root (relative), holding `switchboard.yaml`. */
  protectedDir: string;
}

export type H = ContractHarness<Fixture>;

export function code(result: { isError?: boolean; _meta?: Record<string, unknown> }): string | undefined {
  return errorOfResult(result)?.code;
}

export function field(result: { isError?: boolean; _meta?: Record<string, unknown> }): string | undefined {
  return errorOfResult(result)?.field;
}

export function firstText(result: { content: unknown[] }): string {
  return (result.content[0] as { text: string }).text;
}

export function structured<T = Record<string, unknown>>(result: CallToolResult): T {
  return result.structuredContent as T;
}
