import { matchesAnyGlob } from './glob.ts';

export interface ToolRules {
  allow: readonly string[];
  deny: readonly string[];
}

/** `rule` names the glob that allowed, or the list that refused (`tools.deny '…'`, `tools.allow`). */
export type Decision = { allowed: true; rule: string } | { allowed: false; reason: string; rule: string };

/** Deny wins over allow; a tool no allow glob matches is denied. */
export function decideTool(subject: string, rules: ToolRules, tool: string): Decision {
  const denied = matchesAnyGlob(tool, rules.deny);
  if (denied !== undefined)
    return { allowed: false, reason: `${subject} may not call '${tool}' (denied by '${denied}')`, rule: `tools.deny '${denied}'` };
  const allowed = matchesAnyGlob(tool, rules.allow);
  if (allowed === undefined) {
    const list = rules.allow.length === 0 ? 'nothing' : rules.allow.join(', ');
    return { allowed: false, reason: `${subject} may not call '${tool}' (allowed: ${list})`, rule: 'tools.allow' };
  }
  return { allowed: true, rule: allowed };
}
