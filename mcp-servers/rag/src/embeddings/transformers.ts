import { Embeddings } from '@langchain/core/embeddings';
import { ToolError } from '@switchboard/kit';

/** The slice of @huggingface/transformers this server uses (the package is optional, so no types from it). */
interface TransformersModule {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  pipeline(task: 'feature-extraction', model: string, options?: Record<string, unknown>): Promise<FeatureExtractor>;
}
type FeatureExtractor = (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<{ tolist(): number[][] }>;

export interface TransformersOptions {
  /** Directory holding `<model>/` (config.json, tokenizer.json, onnx/model.onnx), as transformers.js lays it out. */
  modelDir: string;
  model: string;
  /** Off by default: no model is fetched from the Hub at run time. */
  allowRemoteModels?: boolean;
  batchSize?: number;
}

// A variable specifier keeps type checkers and bundlers from requiring the optional package.
const PACKAGE = '@huggingface/transformers';

export const TRANSFORMERS_MISSING =
  `${PACKAGE} is not installed. It is optional: install it with \`npm install ${PACKAGE} -w mcp-servers/rag\` ` +
  '(its dependency onnxruntime-node has an install script that downloads native binaries; package.json allowScripts must allow it), ' +
  'then put the model under --model-dir; or use --embedder hashing (offline, the default) or --embedder openai';

/** Loads the optional package on first use; a clear INVALID_CONFIG error when it is absent. */
export async function importTransformers(load: (name: string) => Promise<unknown> = (name) => import(name)): Promise<TransformersModule> {
  try {
    return (await load(PACKAGE)) as TransformersModule;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new ToolError('INVALID_CONFIG', TRANSFORMERS_MISSING, 'embedder');
    throw new ToolError('INVALID_CONFIG', `${PACKAGE} failed to load: ${(error as Error).message}`, 'embedder');
  }
}

/** Sentence embeddings (mean pooling, normalised) from a local ONNX model through transformers.js. */
export class TransformersEmbeddings extends Embeddings {
  private constructor(
    private readonly extract: FeatureExtractor,
    private readonly batchSize: number,
  ) {
    super({});
  }

  static async load(options: TransformersOptions, module?: TransformersModule): Promise<TransformersEmbeddings> {
    const transformers = module ?? (await importTransformers());
    transformers.env.allowRemoteModels = options.allowRemoteModels === true;
    transformers.env.allowLocalModels = true;
    transformers.env.localModelPath = options.modelDir;
    const extract = await transformers.pipeline('feature-extraction', options.model);
    return new TransformersEmbeddings(extract, options.batchSize ?? 32);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const tensor = await this.extract(texts.slice(i, i + this.batchSize), { pooling: 'mean', normalize: true });
      out.push(...tensor.tolist());
    }
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedDocuments([text]);
    return vector as number[];
  }
}
