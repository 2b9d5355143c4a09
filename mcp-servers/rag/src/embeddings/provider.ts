import type { RagConfig } from '../config.ts';
import { type CollectionEmbedder, type EmbedderProvider, fromLangChain } from './embedder.ts';
import { HASHING_EMBEDDER, HashingEmbeddings } from './hashing.ts';
import { OpenAICompatibleEmbeddings } from './openai.ts';
import type { TermStatistics } from './term-statistics.ts';
import { TransformersEmbeddings } from './transformers.ts';

/** The embedder the config names. Model-backed ones load lazily, on the first collection that needs them. */
export function createEmbedderProvider(config: RagConfig['embedder']): EmbedderProvider {
  switch (config.kind) {
    case 'hashing':
      return hashingProvider(config.dimensions);
    case 'openai': {
      const embeddings = new OpenAICompatibleEmbeddings(config);
      return modelProvider(`openai:${config.model}`, async () => embeddings, config.dimensions);
    }
    case 'transformers':
      return modelProvider(`transformers:${config.model}`, () => TransformersEmbeddings.load(config));
  }
}

function hashingProvider(dimensions: number): EmbedderProvider {
  return {
    name: HASHING_EMBEDDER,
    dimensions: async () => dimensions,
    forCollection: async (statistics: TermStatistics): Promise<CollectionEmbedder> => {
      const embeddings = new HashingEmbeddings({ dimensions, statistics });
      return {
        name: HASHING_EMBEDDER,
        dimensions,
        statistics,
        embedDocuments: async (texts) => texts.map((text) => embeddings.embed(text)),
        embedQuery: async (text) => embeddings.embed(text),
        statisticsDelta: (added, removed) => embeddings.statisticsDelta(added, removed),
      };
    },
  };
}

/** A model embedder: loaded once; its size comes from the config or from embedding one probe text. */
function modelProvider(
  name: string,
  load: () => Promise<OpenAICompatibleEmbeddings | TransformersEmbeddings>,
  known?: number,
): EmbedderProvider {
  let loaded: Promise<OpenAICompatibleEmbeddings | TransformersEmbeddings> | undefined;
  let size: Promise<number> | undefined;
  const instance = () => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
  const dimensions = () => {
    size ??=
      known !== undefined
        ? Promise.resolve(known)
        : instance()
            .then((embeddings) => embeddings.embedQuery('dimension probe'))
            .then((vector) => vector.length)
            .catch((error: unknown) => {
              size = undefined;
              throw error;
            });
    return size;
  };
  return {
    name,
    dimensions,
    forCollection: async () => fromLangChain(await instance(), name, await dimensions()),
  };
}
