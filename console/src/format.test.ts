import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { duration, localInputToIso, percent, resultText, shortId, uptime } from './format.ts';

describe('format', () => {
  it('durations at every scale', () => {
    assert.equal(duration(null), '—');
    assert.equal(duration(0.256), '0.26 ms');
    assert.equal(duration(12.34), '12.3 ms');
    assert.equal(duration(1534), '1.5 s');
    assert.equal(duration(125_000), '2 min 5 s');
    assert.equal(duration(3_900_000), '1 h 5 min');
  });
  it('uptime, percent, ids', () => {
    assert.equal(uptime(59), '0m 59s');
    assert.equal(uptime(3 * 3600 + 120), '3h 2m');
    assert.equal(uptime(2 * 86_400 + 3600), '2d 1h');
    assert.equal(percent(null), '—');
    assert.equal(percent(0.0004), '<0.1%');
    assert.equal(percent(0.1234), '12.3%');
    assert.equal(shortId('0123456789abcdef'), '01234567…');
    assert.equal(shortId('abc'), 'abc');
  });
  it('datetime-local input to ISO, and result text', () => {
    assert.equal(localInputToIso(''), undefined);
    assert.equal(localInputToIso('not a date'), undefined);
    assert.match(localInputToIso('2026-01-31T14:05') ?? '', /^2026-01-3\dT\d\d:05:00\.000Z$/);
    assert.equal(resultText({ content: [{ type: 'text', text: 'a' }, { type: 'image' }] }), 'a\n[image]');
    assert.equal(resultText(null), '');
  });
});
