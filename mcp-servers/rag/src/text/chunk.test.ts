import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunkText } from './chunk.ts';

const sentence = (n: number) => `Sentence number ${n} talks about wings and flow. `;
const paragraph = (n: number, sentences: number) =>
  Array.from({ length: sentences }, (_, i) => sentence(n * 100 + i))
    .join('')
    .trim();

function assertInvariants(text: string, size: number, overlap: number) {
  const chunks = chunkText(text, { size, overlap });
  for (const chunk of chunks) {
    assert.equal(text.slice(chunk.start, chunk.end), chunk.text);
    assert.ok(chunk.text.length <= size, `chunk ${chunk.index} has ${chunk.text.length} > ${size}`);
    assert.equal(chunk.text, chunk.text.trim());
  }
  // Every non-blank character is in some chunk: nothing is silently dropped.
  const covered = new Uint8Array(text.length);
  for (const chunk of chunks) covered.fill(1, chunk.start, chunk.end);
  for (let i = 0; i < text.length; i++) if (!/\s/.test(text[i] as string)) assert.equal(covered[i], 1, `char ${i} not covered`);
  return chunks;
}

describe('chunker', () => {
  it('keeps a short text whole, with exact offsets', () => {
    const chunks = chunkText('\n\n  Hello world.  \n', { size: 100, overlap: 10 });
    assert.deepEqual(chunks, [{ index: 0, start: 4, end: 16, text: 'Hello world.' }]);
  });

  it('answers nothing for blank text', () => {
    assert.deepEqual(chunkText(' \n\t\n', { size: 100, overlap: 10 }), []);
  });

  it('packs whole paragraphs while they fit', () => {
    const paras = [paragraph(1, 8), paragraph(2, 8), paragraph(3, 8)];
    const text = paras.join('\n\n');
    const chunks = assertInvariants(text, 1000, 0);
    assert.equal(chunks.length, 2);
    assert.equal(chunks[0]?.text, `${paras[0]}\n\n${paras[1]}`);
    assert.equal(chunks[1]?.text, paras[2]);
  });

  it('never cuts a code block that fits, even when it straddles a boundary', () => {
    const code = '```ts\nfunction wing(): number {\n\n  return 42;\n}\n```';
    const text = `${paragraph(1, 17)}\n\n${code}\n\nAfter the code.`;
    const chunks = assertInvariants(text, 900, 100);
    const holders = chunks.filter((c) => c.text.includes('function wing'));
    assert.ok(holders.length >= 1);
    for (const holder of holders) assert.ok(holder.text.includes(code), 'a chunk holding the code holds all of it');
  });

  it('cuts an oversized paragraph at sentence ends, with overlap', () => {
    const text = paragraph(1, 60);
    const chunks = assertInvariants(text, 500, 80);
    assert.ok(chunks.length > 4);
    for (const chunk of chunks.slice(0, -1)) assert.match(chunk.text, /\.$/, 'cut after a sentence');
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1] as { end: number };
      const current = chunks[i] as { start: number };
      assert.ok(current.start < previous.end, 'consecutive chunks overlap');
      assert.ok(previous.end - current.start <= 80);
    }
  });

  it('cuts a line-less code block at line ends and a run without spaces anywhere', () => {
    const code = `\`\`\`\n${Array.from({ length: 80 }, (_, i) => `const value${i} = ${i};`).join('\n')}\n\`\`\``;
    const chunks = assertInvariants(code, 300, 0);
    for (const chunk of chunks.slice(1)) assert.match(chunk.text, /^(const|```)/);
    assertInvariants('x'.repeat(2500), 1000, 100);
  });

  it('holds its invariants on random text', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const atoms = ['word', 'flow.', 'wing!', '\n', '\n\n', '```\n', ' ', 'x'.repeat(120), 'end?'];
    for (let round = 0; round < 100; round++) {
      const text = Array.from({ length: 200 }, () => atoms[Math.floor(random() * atoms.length)]).join(' ');
      assertInvariants(text, 50 + Math.floor(random() * 400), Math.floor(random() * 40));
    }
  });
});
