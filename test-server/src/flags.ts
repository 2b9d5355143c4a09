import { parseArgs } from 'node:util';

export interface TestServerFlags {
  port: number;
  host: string;
  hubUrl: string;
  token?: string;
  casesDir: string;
}

/** A flag mistake; its code makes the `switchboard` CLI print it as a usage error (exit 2). */
export class FlagError extends Error {
  override name = 'FlagError';
  readonly code = 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE';
}

/** `--port N (0 = free) --host H --hub URL (env HUB_URL) --token T (env HUB_TOKEN) --cases DIR`. */
export function parseFlags(argv: string[], env: NodeJS.ProcessEnv = process.env): TestServerFlags {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string', default: '7800' },
      host: { type: 'string', default: '127.0.0.1' },
      hub: { type: 'string' },
      token: { type: 'string' },
      cases: { type: 'string', default: 'cases' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new FlagError(`--port must be 0..65535 (0 = a free port), got '${values.port}'`);
  const hubUrl = values.hub ?? env.HUB_URL;
  if (hubUrl === undefined || hubUrl === '') {
    throw new FlagError("no hub given: pass --hub URL (the hub's MCP endpoint, e.g. http://127.0.0.1:7700/mcp) or set HUB_URL");
  }
  if (!URL.canParse(hubUrl) || !/^https?:$/.test(new URL(hubUrl).protocol)) {
    throw new FlagError(`--hub must be an http(s) URL such as http://127.0.0.1:7700/mcp, got '${hubUrl}'`);
  }
  const token = values.token ?? env.HUB_TOKEN;
  return { port, host: values.host, hubUrl, casesDir: values.cases, ...(token ? { token } : {}) };
}
