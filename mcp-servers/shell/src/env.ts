/**
 * Variables that change what a program loads or runs: refused from callers and from `pass`
 * whatever the policy says (an admin may still `set` one deliberately).
 */
export const FORBIDDEN_ENV = [
  'LD_PRELOAD',
  'LD_LIBRARY_PATH',
  'LD_AUDIT',
  'NODE_OPTIONS',
  'NODE_PATH',
  'BASH_ENV',
  'ENV',
  'PATH',
  'IFS',
  'SHELLOPTS',
  'PS4',
  'PROMPT_COMMAND',
  'PYTHONPATH',
  'PYTHONSTARTUP',
  'PERL5OPT',
  'PERL5LIB',
  'RUBYOPT',
  'GIT_SSH',
  'GIT_SSH_COMMAND',
  'GIT_EXEC_PATH',
  'GIT_EXTERNAL_DIFF',
  'GIT_PAGER',
  'GIT_EDITOR',
  'GIT_ASKPASS',
  'SSH_ASKPASS',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'PAGER',
  'EDITOR',
  'VISUAL',
  'HOME',
] as const;

const forbiddenPrefixes = ['LD_', 'DYLD_', 'GIT_CONFIG', 'NPM_CONFIG_', 'npm_config_', 'BASH_FUNC_'];

export function isForbiddenEnv(name: string): boolean {
  return (FORBIDDEN_ENV as readonly string[]).includes(name) || forbiddenPrefixes.some((prefix) => name.startsWith(prefix));
}

/** The fixed part of every child's environment; `set` in the policy overrides it. */
export const DEFAULT_ENV: Record<string, string> = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  LANG: 'C.UTF-8',
  GIT_TERMINAL_PROMPT: '0',
  GIT_CONFIG_NOSYSTEM: '1',
  NO_COLOR: '1',
};

export interface EnvPolicy {
  pass: readonly string[];
  set: Readonly<Record<string, string>>;
  callerMay: readonly string[];
}

/**
 * A child's environment, built up from nothing: defaults, the policy's fixed values, the allowed
 * names from the server's own environment, a private HOME, then what the caller may set. Nothing
 * else of the server's environment (tokens, keys, LD_PRELOAD) is ever inherited.
 */
export function buildEnv(
  policy: EnvPolicy,
  serverEnv: NodeJS.ProcessEnv,
  home: string,
  caller: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = { ...DEFAULT_ENV, HOME: home, ...policy.set };
  for (const name of policy.pass) {
    const value = serverEnv[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(caller)) env[name] = value;
  return env;
}
