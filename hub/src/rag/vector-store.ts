import type { Callbacks } from '@langchain/core/callbacks/manager';
import { Document, type DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { VectorStore } from '@langchain/core/vectorstores';
import { ToolError } from '@switchboard/kit';
import { searchCollection, type ToolCaller } from './search-result.ts';

export interface McpVectorStoreOptions {
  /** How tools are called: the hub's callTool under some principal, or an MCP client's. */
  callTool: ToolCaller;
  collection: string;
  /** Upstream name: tools are `<server>__search`, `<server>__index`, `<server>__delete`. Empty for a direct client. */
  server?: string;
  mode?: 'hybrid' | 'vector' | 'lexical';
}

/** The server embeds; this placeholder only exists because VectorStore's constructor wants embeddings. */
class ServerSideEmbeddings implements EmbeddingsInterface {
  embedDocuments(): Promise<number[][]> {
    return Promise.reject(new ToolError('INVALID_ARGUMENT', 'the rag server embeds documents itself; use addDocuments'));
  }
  embedQuery(): Promise<number[]> {
    return Promise.reject(new ToolError('INVALID_ARGUMENT', 'the rag server embeds queries itself; use similaritySearch'));
  }
}

/**
 * A LangChain VectorStore over a Switchboard rag collection, reached through MCP tools, so LangGraph
 * nodes and chains use it like any retriever: `store.asRetriever(4).invoke('question')`. Searching and
 * embedding happen on the server (hybrid by default); each result's metadata carries its source ids
 * (`documentId`, `chunkId`) and score beside the document's own metadata.
 */
export class McpVectorStore extends VectorStore {
  declare FilterType: Record<string, unknown>;
  private readonly options: McpVectorStoreOptions;

  constructor(options: McpVectorStoreOptions) {
    super(new ServerSideEmbeddings(), {});
    this.options = options;
  }

  _vectorstoreType(): string {
    return 'switchboard-rag';
  }

  private tool(name: string): string {
    return this.options.server === '' ? name : `${this.options.server ?? 'rag'}__${name}`;
  }

  /** Indexes documents; ids come from `options.ids`, else `metadata.id`, else `metadata.source`. */
  async addDocuments(documents: DocumentInterface[], options?: { ids?: string[] }): Promise<string[]> {
    const ids = documents.map((doc, i) => {
      const id = options?.ids?.[i] ?? doc.id ?? doc.metadata.id ?? doc.metadata.source;
      if (typeof id !== 'string' || id === '')
        throw new ToolError('INVALID_ARGUMENT', `document ${i} has no id (give options.ids, doc.id or metadata.source)`, 'documents');
      return id;
    });
    const result = await this.options.callTool(this.tool('index'), {
      collection: this.options.collection,
      documents: documents.map((doc, i) => ({ id: ids[i], text: doc.pageContent, metadata: doc.metadata })),
    });
    if (result.isError) throw new ToolError('UPSTREAM_UNAVAILABLE', `${this.tool('index')} failed: ${JSON.stringify(result.content)}`);
    return ids;
  }

  addVectors(): Promise<void> {
    return Promise.reject(new ToolError('INVALID_ARGUMENT', 'the rag server computes its own vectors; use addDocuments'));
  }

  override async delete(params?: { ids?: string[] }): Promise<void> {
    if (!params?.ids?.length) throw new ToolError('INVALID_ARGUMENT', 'give ids to delete', 'ids');
    const result = await this.options.callTool(this.tool('delete'), { collection: this.options.collection, documentIds: params.ids });
    if (result.isError) throw new ToolError('UPSTREAM_UNAVAILABLE', `${this.tool('delete')} failed: ${JSON.stringify(result.content)}`);
  }

  similaritySearchVectorWithScore(): Promise<[DocumentInterface, number][]> {
    return Promise.reject(new ToolError('INVALID_ARGUMENT', 'search by text: the rag server embeds the query itself'));
  }

  override async similaritySearchWithScore(
    query: string,
    k = 4,
    filter?: this['FilterType'],
    _callbacks?: Callbacks,
  ): Promise<[DocumentInterface, number][]> {
    const hits = await searchCollection(this.options.callTool, this.tool('search'), {
      collection: this.options.collection,
      query,
      k,
      mode: this.options.mode ?? 'hybrid',
      ...(filter ? { filter } : {}),
    });
    return hits.map((hit) => [
      new Document({
        id: hit.chunkId,
        pageContent: hit.text,
        metadata: { ...hit.metadata, documentId: hit.documentId, chunkId: hit.chunkId, score: hit.score },
      }),
      hit.score,
    ]);
  }

  override async similaritySearch(query: string, k = 4, filter?: this['FilterType'], callbacks?: Callbacks): Promise<DocumentInterface[]> {
    return (await this.similaritySearchWithScore(query, k, filter, callbacks)).map(([doc]) => doc);
  }
}
