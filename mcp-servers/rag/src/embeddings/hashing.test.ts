import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HashingEmbeddings } from './hashing.ts';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
};

describe('hashing embeddings', () => {
  const corpus = [
    'Swept wings delay shock waves at transonic speeds.',
    'Heat conduction through composite slabs.',
    'The boundary layer separates under an adverse pressure gradient.',
    'Flutter of thin wings at supersonic speeds.',
  ];
  const embeddings = new HashingEmbeddings({ dimensions: 512 });
  embeddings.statistics.apply(embeddings.statisticsDelta(corpus, []));

  it('answers unit vectors of the configured size, deterministically, as a LangChain Embeddings', async () => {
    const [a, b] = await embeddings.embedDocuments(['wings', 'wings']);
    assert.equal(a?.length, 512);
    assert.ok(Math.abs(dot(a as number[], a as number[]) - 1) < 1e-6);
    assert.deepEqual(a, b);
    assert.deepEqual(await embeddings.embedQuery('wings'), a);
  });

  it('puts related texts closer than unrelated ones, across inflections', () => {
    const query = embeddings.embed('shock wave on a swept wing');
    const scores = corpus.map((text) => dot(query, embeddings.embed(text)));
    assert.equal(scores.indexOf(Math.max(...scores)), 0);
    const flat = new HashingEmbeddings({ dimensions: 512 });
    assert.ok(dot(flat.embed('aerodynamic'), flat.embed('aerodynamics')) > 0.5, 'character n-grams and stems match variants');
    assert.ok(dot(flat.embed('aerodynamic'), flat.embed('thermodynamic')) < dot(flat.embed('aerodynamic'), flat.embed('aerodynamics')));
    assert.ok(
      embeddings.embed('qxjzvk').every((x) => x === 0),
      'features no chunk has weigh nothing',
    );
  });

  it('weights rare terms above common ones (IDF)', () => {
    const withStats = new HashingEmbeddings({ dimensions: 512 });
    const common = Array.from({ length: 50 }, (_, i) => `measurement ${i} of the flow`);
    withStats.statistics.apply(withStats.statisticsDelta([...common, 'measurement of the flow near a nozzle'], []));
    const query = withStats.embed('measurement nozzle');
    const rare = dot(query, withStats.embed('nozzle'));
    const frequent = dot(query, withStats.embed('measurement'));
    assert.ok(rare > frequent, `rare ${rare} > common ${frequent}`);
  });

  it('computes statistics deltas that undo each other', () => {
    const e = new HashingEmbeddings({ dimensions: 64 });
    const delta = e.statisticsDelta(['a b c', 'b c d'], ['b c d']);
    assert.equal(delta.documents, 1);
    const before = e.statistics.version;
    e.statistics.apply(delta);
    e.statistics.apply(delta, -1);
    assert.equal(e.statistics.documents, 0);
    assert.equal(e.statistics.df.size, 0);
    assert.equal(e.statistics.version, before + 2);
  });

  it('embeds blank text as the zero vector', () => {
    assert.ok(embeddings.embed('  ').every((x) => x === 0));
  });
});
