import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '../errors.ts';
import { parseServerFlags } from './flags.ts';

describe('server flags', () => {
  it('defaults to stdio on loopback', () => {
    const { transport } = parseServerFlags([], {});
    assert.deepEqual(transport, { transport: 'stdio', port: 0, host: '127.0.0.1' });
  });

  it('parses the transport flags next to the server’s own', () => {
    const { transport, values } = parseServerFlags(['--transport', 'http', '--port', '7701', '--root', '/a', '--root', '/b'], {
      root: { type: 'string', multiple: true },
    });
    assert.deepEqual(transport, { transport: 'http', port: 7701, host: '127.0.0.1' });
    assert.deepEqual(values.root, ['/a', '/b']);
  });

  it('refuses unknown flags and bad values, naming them', () => {
    assert.throws(
      () => parseServerFlags(['--rot', '/a'], {}),
      (e: ToolError) => e.code === 'INVALID_CONFIG' && /--rot/.test(e.message),
    );
    assert.throws(
      () => parseServerFlags(['--transport', 'carrier-pigeon'], {}),
      (e: ToolError) => e.field === 'transport',
    );
    assert.throws(
      () => parseServerFlags(['--port', '99999'], {}),
      (e: ToolError) => e.field === 'port',
    );
  });
});
