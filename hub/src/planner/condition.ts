import { resolvePath, type Vars } from './template.ts';

/**
 * `when:` conditions in playbooks and plans: a deliberately small language, parsed here, never
 * `eval`ed. `ref`, literals (numbers, 'strings', "strings", true, false, null), comparisons
 * (`== != < <= > >=`), `ref matches 'regex'`, `!`, `&&`, `||` and parentheses. A bare ref is true
 * when set and not false, 0, '' or an empty list. Example: `steps.run.structured.exitCode != 0 && round < 3`.
 */
export function evaluateCondition(source: string, vars: Vars): boolean {
  const parser = new Parser(tokenize(source), vars, source);
  const value = parser.expression();
  parser.end();
  return truthy(value);
}

/** Throws with a message naming the problem when `source` does not parse (used when roles load). */
export function checkCondition(source: string): void {
  evaluateCondition(source, {});
}

type Token = { kind: 'op' | 'num' | 'str' | 'ref' | 'word'; text: string; value?: unknown };

const tokenPattern =
  /\s*(?:(&&|\|\||==|!=|<=|>=|<|>|!|\(|\))|(-?\d+(?:\.\d+)?)(?![\w.])|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*|\[\s*[\w.]+\s*\])*))/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  let index = 0;
  while (index < source.length) {
    if (/^\s*$/.test(source.slice(index))) break;
    tokenPattern.lastIndex = index;
    const m = tokenPattern.exec(source);
    if (!m) throw new Error(`condition '${source}': cannot read from '${source.slice(index, index + 20)}'`);
    index = tokenPattern.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'op', text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: 'num', text: m[2], value: Number(m[2]) });
    else if (m[3] !== undefined || m[4] !== undefined) tokens.push({ kind: 'str', text: m[0], value: unquote(m[3] ?? m[4] ?? '') });
    else {
      const word = m[5] as string;
      tokens.push({ kind: ['true', 'false', 'null', 'matches'].includes(word) ? 'word' : 'ref', text: word });
    }
  }
  return tokens;
}

function unquote(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== null && value !== false && value !== 0 && value !== '';
}

class Parser {
  private at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly vars: Vars,
    private readonly source: string,
  ) {}

  end(): void {
    if (this.at < this.tokens.length) this.fail(`unexpected '${this.tokens[this.at]?.text}'`);
  }

  expression(): unknown {
    let left = this.and();
    while (this.take('||')) {
      const right = this.and();
      left = truthy(left) || truthy(right);
    }
    return left;
  }

  private and(): unknown {
    let left = this.not();
    while (this.take('&&')) {
      const right = this.not();
      left = truthy(left) && truthy(right);
    }
    return left;
  }

  private not(): unknown {
    if (this.take('!')) return !truthy(this.not());
    return this.comparison();
  }

  private comparison(): unknown {
    const left = this.operand();
    const op = this.tokens[this.at];
    if (op?.kind === 'word' && op.text === 'matches') {
      this.at++;
      const pattern = this.operand();
      if (typeof pattern !== 'string') this.fail('matches needs a quoted regular expression');
      return typeof left === 'string' && new RegExp(pattern as string).test(left);
    }
    if (op?.kind !== 'op' || !['==', '!=', '<', '<=', '>', '>='].includes(op.text)) return left;
    this.at++;
    const right = this.operand();
    switch (op.text) {
      case '==':
        return loose(left) === loose(right);
      case '!=':
        return loose(left) !== loose(right);
      default: {
        const a = Number(left);
        const b = Number(right);
        if (Number.isNaN(a) || Number.isNaN(b) || left === null || right === null) return false;
        return op.text === '<' ? a < b : op.text === '<=' ? a <= b : op.text === '>' ? a > b : a >= b;
      }
    }
  }

  private operand(): unknown {
    const token = this.tokens[this.at++];
    if (token === undefined) return this.fail('ends too early');
    if (token.kind === 'op' && token.text === '(') {
      const value = this.expression();
      if (!this.take(')')) this.fail("missing ')'");
      return value;
    }
    if (token.kind === 'num' || token.kind === 'str') return token.value;
    if (token.kind === 'word') {
      if (token.text === 'matches') return this.fail("'matches' needs a value on its left");
      return token.text === 'true' ? true : token.text === 'false' ? false : null;
    }
    if (token.kind === 'ref') return resolvePath(this.vars, token.text);
    return this.fail(`unexpected '${token.text}'`);
  }

  private take(op: string): boolean {
    const token = this.tokens[this.at];
    if (token?.kind === 'op' && token.text === op) {
      this.at++;
      return true;
    }
    return false;
  }

  private fail(why: string): never {
    throw new Error(`condition '${this.source}': ${why}`);
  }
}

/** `==` compares numbers with numeric strings as numbers (exit codes arrive as either), else strictly. */
function loose(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
}
