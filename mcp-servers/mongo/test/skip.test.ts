import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { realMongoBackends } from './fixture.ts';

describe('mongo real-backend selection', () => {
  it('skips with a reason, not a failure, when MONGODB_URL is unset, even under REQUIRE_SERVICES=1', () => {
    const { backends, skipReason } = realMongoBackends({ REQUIRE_SERVICES: '1' });
    assert.deepEqual(backends, []);
    assert.match(skipReason ?? '', /MONGODB_URL is not set/);
    assert.match(skipReason ?? '', /no MongoDB server can be installed on this machine/);
    assert.match(skipReason ?? '', /Not a failure under REQUIRE_SERVICES=1/);
  });

  it('runs the real suite when MONGODB_URL is set, where an unreachable server is the harness’s failure', () => {
    const { backends, skipReason } = realMongoBackends({ MONGODB_URL: 'mongodb://127.0.0.1:1/x', REQUIRE_SERVICES: '1' });
    assert.equal(skipReason, undefined);
    assert.deepEqual(
      backends.map((b) => b.name),
      ['mongodb'],
    );
    assert.equal(typeof backends[0]?.unavailable, 'function');
  });
});
