import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateApiKey, hashApiKey, matchApiKey } from './api-keys.ts';

describe('API keys', () => {
  it('makes random keys and stores only their SHA-256', () => {
    const a = generateApiKey();
    assert.match(a, /^sb_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, generateApiKey());
    // `printf %s KEY | sha256sum`, so operators can hash a key with standard tools
    assert.equal(hashApiKey('sb-test-admin-key-not-a-secret'), 'b3d4c4e0185ab20b75b82f29e698f30ede8349a7e02cc3059490ab906290f797');
  });

  it('finds the key a token is, and nothing for a near miss', () => {
    const key = generateApiKey();
    const keys = [
      { id: 'one', role: 'admin', sha256: hashApiKey('something-else') },
      { id: 'two', role: 'reader', sha256: hashApiKey(key) },
    ];
    assert.equal(matchApiKey(keys, key)?.id, 'two');
    assert.equal(matchApiKey(keys, key.slice(0, -1)), undefined);
    assert.equal(matchApiKey(keys, ''), undefined);
    assert.equal(matchApiKey([], key), undefined);
  });
});
