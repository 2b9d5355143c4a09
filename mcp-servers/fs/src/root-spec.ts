import { ToolError } from '@switchboard/kit';

/**
 * `--root DIR[:ro|:rw][:deny=GLOB,GLOB…]` → the root's settings. Suffixes are taken from the end,
 * so a directory name with a colon still works unless it ends like a suffix.
 */
export function parseRootSpec(spec: string): { path: string; readOnly: boolean; deny: string[] } {
  const match = /^(.*?)((?::ro|:rw|:deny=[^:]*)*)$/.exec(spec);
  const path = match?.[1] ?? spec;
  if (path === '') throw new ToolError('INVALID_CONFIG', `--root '${spec}': the directory is missing`, 'roots');
  let readOnly = false;
  const deny: string[] = [];
  for (const suffix of (match?.[2] ?? '').split(':').filter(Boolean)) {
    if (suffix === 'ro') readOnly = true;
    else if (suffix === 'rw') readOnly = false;
    else deny.push(...suffix.slice('deny='.length).split(',').filter(Boolean));
  }
  return { path, readOnly, deny };
}
