import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';

export interface OpenAICompatibleOptions extends EmbeddingsParams {
  /** Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1; `/embeddings` is appended. */
  url: string;
  model: string;
  /** Sent as a bearer token; never logged nor echoed in errors. */
  apiKey?: string;
  /** Asked of models that can shorten their vectors (`dimensions` in the request). */
  dimensions?: number;
  batchSize?: number;
  timeoutMs?: number;
}

interface EmbeddingResponse {
  data?: { embedding?: unknown; index?: number }[];
}

/**
 * Embeddings from any OpenAI-compatible endpoint (OpenAI, Azure-style proxies, llama.cpp, vLLM,
 * Ollama's /v1, text-embeddings-inference). Texts go in batches; retries use LangChain's AsyncCaller.
 */
export class OpenAICompatibleEmbeddings extends Embeddings {
  private readonly options: OpenAICompatibleOptions;

  constructor(options: OpenAICompatibleOptions) {
    super({ maxRetries: 2, ...options });
    this.options = options;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const size = this.options.batchSize ?? 64;
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += size) out.push(...(await this.caller.call(() => this.request(texts.slice(i, i + size)))));
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.caller.call(() => this.request([text]));
    return vector as number[];
  }

  private async request(input: string[]): Promise<number[][]> {
    const { url, model, apiKey, dimensions, timeoutMs = 30_000 } = this.options;
    const response = await fetch(`${url.replace(/\/+$/, '')}/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify({ model, input, ...(dimensions ? { dimensions } : {}) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      const detail = (await response.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ');
      const error = new Error(`embeddings endpoint answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`);
      // 4xx other than 429 will not get better by retrying; AsyncCaller stops on a `status` it knows.
      Object.assign(error, { status: response.status });
      throw error;
    }
    const body = (await response.json()) as EmbeddingResponse;
    const data = body.data;
    if (!Array.isArray(data) || data.length !== input.length)
      throw new Error('embeddings endpoint answered without one `data` item per input');
    return [...data]
      .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
      .map((item) => {
        if (!Array.isArray(item.embedding) || !item.embedding.every((x) => typeof x === 'number'))
          throw new Error('embeddings endpoint answered an embedding that is not a list of numbers');
        return item.embedding as number[];
      });
  }
}
