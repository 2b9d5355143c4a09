import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildEnv, DEFAULT_ENV } from './env.ts';

describe('buildEnv', () => {
  it('starts from nothing: only defaults, fixed values, passed names and caller values', () => {
    const env = buildEnv(
      { pass: ['LANG', 'MISSING'], set: { GIT_AUTHOR_NAME: 'agent' }, callerMay: ['DEBUG'] },
      { LANG: 'de_DE.UTF-8', AWS_SECRET_ACCESS_KEY: 'x', LD_PRELOAD: '/evil.so', HOME: '/root', SSH_AUTH_SOCK: '/tmp/agent' },
      '/tmp/home',
      { DEBUG: '1' },
    );
    assert.deepEqual(env, { ...DEFAULT_ENV, HOME: '/tmp/home', GIT_AUTHOR_NAME: 'agent', LANG: 'de_DE.UTF-8', DEBUG: '1' });
  });
});
