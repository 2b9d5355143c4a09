import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { namespaceResultUris } from './rewrite.ts';
import { namespaceUri, splitNamespacedUri } from './uris.ts';

describe('namespaced resource URIs', () => {
  it('round-trip for plain URIs, file URIs and templates', () => {
    for (const uri of ['demo://resource/static/document/a.md', 'file:///srv/work/a+b.txt', 'demo://r/{id}', 'urn:x:y']) {
      const namespaced = namespaceUri('everything', uri);
      assert.deepEqual(splitNamespacedUri(namespaced), { upstream: 'everything', uri });
    }
    assert.equal(namespaceUri('fs', 'file:///a'), 'fs+file:///a');
  });

  it('refuses what no upstream could have produced', () => {
    assert.equal(splitNamespacedUri('file:///etc/passwd'), undefined);
    assert.equal(splitNamespacedUri('+file:///x'), undefined);
    assert.equal(splitNamespacedUri('Evil+file:///x'), undefined);
  });
});

describe('rewriting URIs inside results', () => {
  it('namespaces resource links and embedded resources, never structuredContent', () => {
    const result = {
      content: [
        { type: 'text', text: 'see demo://x' },
        { type: 'resource_link', uri: 'demo://a', name: 'a' },
        { type: 'resource', resource: { uri: 'demo://b', text: 'b' } },
      ],
      structuredContent: { uri: 'demo://kept' },
    };
    assert.deepEqual(namespaceResultUris('ev', result), {
      content: [
        { type: 'text', text: 'see demo://x' },
        { type: 'resource_link', uri: 'ev+demo://a', name: 'a' },
        { type: 'resource', resource: { uri: 'ev+demo://b', text: 'b' } },
      ],
      structuredContent: { uri: 'demo://kept' },
    });
  });

  it('namespaces prompt messages and read contents', () => {
    const prompt = { messages: [{ role: 'user', content: { type: 'resource', resource: { uri: 'demo://c', text: 'c' } } }] };
    assert.equal(namespaceResultUris('ev', prompt).messages[0]?.content.resource.uri, 'ev+demo://c');
    const read = { contents: [{ uri: 'demo://d', text: 'd' }] };
    assert.equal(namespaceResultUris('ev', read).contents[0]?.uri, 'ev+demo://d');
  });
});
