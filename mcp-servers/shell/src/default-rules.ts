import type { CommandRule } from './policy.ts';

const rule = (partial: Partial<CommandRule>): CommandRule => ({
  denySubcommands: [],
  denyFlags: [],
  allowFlags: [],
  allowScripts: false,
  ...partial,
});

/** npm subcommands that run package scripts (lifecycle or named); refused unless allowScripts. */
export const NPM_SCRIPT_SUBCOMMANDS = [
  'run',
  'run-script',
  'rum',
  'urn',
  'test',
  'tst',
  't',
  'start',
  'stop',
  'restart',
  'exec',
  'x',
  'explore',
  'install',
  'i',
  'in',
  'ins',
  'inst',
  'insta',
  'instal',
  'isnt',
  'isnta',
  'isntal',
  'isntall',
  'add',
  'ci',
  'clean-install',
  'ic',
  'install-clean',
  'isntall-clean',
  'install-test',
  'it',
  'install-ci-test',
  'cit',
  'clean-install-test',
  'sit',
  'rebuild',
  'rb',
  'update',
  'up',
  'upgrade',
  'udpate',
  'pack',
  'publish',
  'version',
  'link',
  'ln',
  'uninstall',
  'remove',
  'rm',
  'r',
  'un',
  'unlink',
  'dedupe',
  'ddp',
  'prune',
  'diff',
  'init',
  'create',
  'innit',
];

/**
 * Built-in argument rules for commands that can run other programs or write outside the cwd through
 * a flag. A policy file's rule of the same name replaces the built-in one entirely.
 */
export const DEFAULT_RULES: Record<string, CommandRule> = {
  git: rule({
    // argv[1] must be one of these: global options before the subcommand (-c, -C, --git-dir,
    // --exec-path, --config-env …) are refused by construction.
    subcommands: [
      'status',
      'log',
      'diff',
      'show',
      'add',
      'commit',
      'branch',
      'checkout',
      'switch',
      'restore',
      'rev-parse',
      'ls-files',
      'blame',
      'grep',
      'tag',
      'init',
      'mv',
      'rm',
      'reset',
      'stash',
      'merge',
      'shortlog',
      'describe',
      'version',
    ],
    denyFlags: [
      '-c',
      '--config-env',
      '--upload-pack',
      '--receive-pack',
      '--exec',
      '--output',
      '--open-files-in-pager',
      '-O',
      '--ext-diff',
      '--textconv',
      '--extcmd',
      '--template',
      '--git-dir',
      '--work-tree',
      '--exec-path',
      '--no-verify',
    ],
  }),
  find: rule({ denyFlags: ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls'] }),
  tar: rule({
    allowFlags: ['--checkpoint'],
    denyFlags: [
      '--checkpoint-action',
      '--to-command',
      '--use-compress-program',
      '-I',
      '--rsh-command',
      '--rmt-command',
      '--info-script',
      '--new-volume-script',
      '-F',
      '--absolute-names',
      '-P',
    ],
  }),
  rsync: rule({ denyFlags: ['-e', '--rsh', '--rsync-path'] }),
  // Script subcommands are added by effectiveRule unless a rule says allowScripts: true.
  npm: rule({ denyFlags: ['--script-shell', '--node-options', '--call', '-c'] }),
  npx: rule({}),
  node: rule({
    denyFlags: [
      '-e',
      '--eval',
      '-p',
      '--print',
      '-r',
      '--require',
      '--import',
      '--loader',
      '--experimental-loader',
      '-i',
      '--interactive',
      '--inspect',
      '--inspect-brk',
      '--env-file',
    ],
  }),
  python3: rule({ denyFlags: ['-c', '-m', '-i'] }),
  python: rule({ denyFlags: ['-c', '-m', '-i'] }),
  perl: rule({ denyFlags: ['-e', '-E', '-M', '-m', '-I'] }),
  ruby: rule({ denyFlags: ['-e', '-r', '-I'] }),
  ...Object.fromEntries(
    ['sh', 'bash', 'dash', 'zsh', 'ksh', 'fish', 'csh', 'tcsh'].map((shell) => [
      shell,
      rule({
        refuse: `${shell} is a shell, and commands here run as argv without one; add a '${shell}' rule to the policy file to allow it deliberately`,
      }),
    ]),
  ),
  ...Object.fromEntries(
    [
      'env',
      'xargs',
      'nohup',
      'nice',
      'timeout',
      'setsid',
      'stdbuf',
      'sudo',
      'su',
      'doas',
      'chroot',
      'strace',
      'ltrace',
      'watch',
      'script',
    ].map((launcher) => [
      launcher,
      rule({
        refuse: `${launcher} runs other programs, which would bypass the executable allowlist; add a '${launcher}' rule to the policy file to allow it deliberately`,
      }),
    ]),
  ),
  sed: rule({
    refuse: "sed's e and w commands run programs and write files anywhere; add a 'sed' rule to the policy file to allow it deliberately",
  }),
  awk: rule({ refuse: "awk's system() runs programs; add an 'awk' rule to the policy file to allow it deliberately" }),
  gawk: rule({ refuse: "gawk's system() runs programs; add a 'gawk' rule to the policy file to allow it deliberately" }),
};

const NPX_REFUSAL = 'npx runs package code; set allowScripts: true in its policy rule to allow it';

/**
 * The rule as enforced. npm and npx keep their script protection under any policy rule that does
 * not say `allowScripts: true`, so writing an `npm:` rule for another reason cannot drop it silently.
 */
export function effectiveRule(name: string, rule: CommandRule | undefined): CommandRule | undefined {
  if (rule?.allowScripts) return rule;
  if (name === 'npm') {
    const base = rule ?? (DEFAULT_RULES.npm as CommandRule);
    return { ...base, denySubcommands: [...new Set([...base.denySubcommands, ...NPM_SCRIPT_SUBCOMMANDS])] };
  }
  if (name === 'npx') return { ...(rule ?? (DEFAULT_RULES.npx as CommandRule)), refuse: rule?.refuse ?? NPX_REFUSAL };
  return rule;
}
