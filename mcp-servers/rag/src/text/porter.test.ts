import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { porterStem } from './porter.ts';

describe('porter stemmer', () => {
  it('stems the examples of Porter’s paper', () => {
    const cases: Record<string, string> = {
      caresses: 'caress',
      ponies: 'poni',
      ties: 'ti',
      caress: 'caress',
      cats: 'cat',
      feed: 'feed',
      agreed: 'agre',
      plastered: 'plaster',
      bled: 'bled',
      motoring: 'motor',
      sing: 'sing',
      conflated: 'conflat',
      troubled: 'troubl',
      sized: 'size',
      hopping: 'hop',
      tanned: 'tan',
      falling: 'fall',
      hissing: 'hiss',
      fizzed: 'fizz',
      failing: 'fail',
      filing: 'file',
      happy: 'happi',
      sky: 'sky',
      relational: 'relat',
      conditional: 'condit',
      rational: 'ration',
      generalizations: 'gener',
      oscillators: 'oscil',
      electrical: 'electr',
      adjustment: 'adjust',
      controlling: 'control',
      roll: 'roll',
      yielding: 'yield',
    };
    for (const [word, stem] of Object.entries(cases)) assert.equal(porterStem(word), stem, word);
  });

  it('conflates inflections of one word', () => {
    const stems = new Set(['connect', 'connected', 'connecting', 'connection', 'connections'].map(porterStem));
    assert.deepEqual([...stems], ['connect']);
  });

  it('leaves short words and numbers alone', () => {
    assert.equal(porterStem('is'), 'is');
    assert.equal(porterStem('2024'), '2024');
  });
});
