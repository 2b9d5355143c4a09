import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertEquals, assertJson, assertListed, assertMaxMs, assertText } from './assertions.ts';

describe('assertText', () => {
  it('contains / equals / matches pass', () => {
    const records = assertText('step "s": text', { contains: 'Hello', equals: 'Hello there', matches: '^Hel+o' }, 'Hello there');
    assert.deepEqual(
      records.map((r) => [r.name, r.passed]),
      [
        ['step "s": text contains "Hello"', true],
        ['step "s": text equals "Hello there"', true],
        ['step "s": text matches /^Hel+o/', true],
      ],
    );
  });

  it('contains / equals / matches fail with expected and actual', () => {
    const [contains, equals, matches] = assertText('t', { contains: 'Bye', equals: 'x', matches: '\\d' }, 'Hello');
    assert.equal(contains?.passed, false);
    assert.equal(contains?.expected, 'Bye');
    assert.equal(contains?.actual, 'Hello');
    assert.equal(equals?.passed, false);
    assert.equal(matches?.passed, false);
  });

  it('an invalid regex fails instead of throwing', () => {
    const [record] = assertText('t', { matches: '(' }, 'x');
    assert.equal(record?.passed, false);
    assert.match(record?.message ?? '', /invalid regular expression/);
  });

  it('a missing text counts as empty', () => {
    assert.equal(assertText('t', { equals: '' }, undefined)[0]?.passed, true);
  });
});

describe('assertJson', () => {
  it('schema passes and fails with the reason', () => {
    const schema = { type: 'object', required: ['answer'] };
    assert.equal(assertJson('s', { schema }, { answer: 'x' })[0]?.passed, true);
    const failed = assertJson('s', { schema }, { other: 1 })[0];
    assert.equal(failed?.passed, false);
    assert.match(failed?.message ?? '', /must have required property 'answer'/);
    assert.equal(failed?.name, 's matches schema');
  });

  it('an invalid schema fails instead of throwing', () => {
    const failed = assertJson('s', { schema: { type: 'nonsense' } }, {})[0];
    assert.equal(failed?.passed, false);
    assert.match(failed?.message ?? '', /invalid JSON Schema/);
  });

  it('equals is a subset match and names where it differs', () => {
    assert.equal(assertJson('s', { equals: { path: 'a' } }, { path: 'a', bytes: 3 })[0]?.passed, true);
    const failed = assertJson('s', { equals: { path: 'a' } }, { path: 'b' })[0];
    assert.equal(failed?.passed, false);
    assert.equal(failed?.message, 'at .path: expected "a", got "b"');
  });
});

describe('other assertions', () => {
  it('assertEquals', () => {
    assert.equal(assertEquals('status is 200', 200, 200).passed, true);
    const failed = assertEquals('status is 200', 200, 500);
    assert.equal(failed.passed, false);
    assert.equal(failed.actual, 500);
  });

  it('assertMaxMs', () => {
    assert.equal(assertMaxMs('s', 100, 99).passed, true);
    assert.equal(assertMaxMs('s', 100, 101).passed, false);
    assert.equal(assertMaxMs('s', 100, 101).name, 's answers within 100ms');
  });

  it('assertListed: includes and excludes, one record per name', () => {
    const records = assertListed('s', ['a', 'b'], { includes: ['a', 'c'], excludes: ['b', 'd'] });
    assert.deepEqual(
      records.map((r) => [r.name, r.passed]),
      [
        ['s lists "a"', true],
        ['s lists "c"', false],
        ['s does not list "b"', false],
        ['s does not list "d"', true],
      ],
    );
  });
});
