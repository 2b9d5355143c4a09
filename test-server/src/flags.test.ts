import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlagError, parseFlags } from './flags.ts';

describe('parseFlags', () => {
  it('reads flags, with env fallbacks for the hub and token', () => {
    assert.deepEqual(parseFlags(['--port', '0', '--hub', 'http://127.0.0.1:1/mcp', '--cases', 'x'], {}), {
      port: 0,
      host: '127.0.0.1',
      hubUrl: 'http://127.0.0.1:1/mcp',
      casesDir: 'x',
    });
    const fromEnv = parseFlags([], { HUB_URL: 'http://h:2/mcp', HUB_TOKEN: 'secret' });
    assert.equal(fromEnv.hubUrl, 'http://h:2/mcp');
    assert.equal(fromEnv.token, 'secret');
  });

  it('says what to do when the hub is missing or the port is wrong', () => {
    assert.throws(
      () => parseFlags([], {}),
      (error: unknown) => error instanceof FlagError && /pass --hub URL/.test(error.message),
    );
    assert.throws(() => parseFlags(['--hub', 'ftp://x'], {}), /--hub must be an http\(s\) URL/);
    assert.throws(() => parseFlags(['--hub', 'http://x/mcp', '--port', 'abc'], {}), /--port must be 0\.\.65535/);
  });

  it('a FlagError carries a parse-args code (the CLI prints it as a usage error)', () => {
    assert.match(new FlagError('x').code, /^ERR_PARSE_ARGS/);
  });
});
