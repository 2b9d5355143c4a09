import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ToolError } from '@switchboard/kit';
import type { ModelSpec, Role } from '../../config/index.ts';

/** Returns the chat model of a role, or undefined when the role runs without one (deterministic). */
export type ModelProvider = (role: Role | undefined) => Promise<BaseChatModel | undefined>;

/** Builds a chat model from a spec; tests inject fakes here instead. */
export type ModelFactory = (spec: ModelSpec) => Promise<BaseChatModel>;

interface NormalSpec {
  provider: string;
  model: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  temperature?: number;
  maxRetries?: number;
}

export function normaliseSpec(spec: ModelSpec): NormalSpec {
  const object = typeof spec === 'string' ? { model: spec } : spec;
  const split = object.model.indexOf(':');
  return { ...object, provider: object.model.slice(0, split), model: object.model.slice(split + 1) };
}

/**
 * `provider:model` through LangChain's `initChatModel` (loaded only in LLM mode): `openai:` for
 * OpenAI and every OpenAI-compatible server (Ollama, vLLM, LM Studio: give `baseUrl`), `anthropic:`
 * for Anthropic. Keys come from the environment variable `apiKeyEnv` names (else the provider's
 * usual variable); a local endpoint without a key gets a placeholder, which such servers ignore.
 */
export async function createChatModel(spec: ModelSpec, env: NodeJS.ProcessEnv = process.env): Promise<BaseChatModel> {
  const s = normaliseSpec(spec);
  const apiKey = s.apiKeyEnv ? env[s.apiKeyEnv] : undefined;
  if (s.apiKeyEnv && !apiKey)
    throw new ToolError('INVALID_CONFIG', `model '${s.provider}:${s.model}': environment variable ${s.apiKeyEnv} (apiKeyEnv) is not set`);
  const fields: Record<string, unknown> = {
    modelProvider: s.provider,
    ...(s.temperature !== undefined ? { temperature: s.temperature } : {}),
    ...(s.maxRetries !== undefined ? { maxRetries: s.maxRetries } : {}),
  };
  if (s.provider === 'openai') {
    if (s.baseUrl) fields.configuration = { baseURL: s.baseUrl };
    const key = apiKey ?? env.OPENAI_API_KEY ?? (s.baseUrl ? 'not-needed-by-local-servers' : undefined);
    if (key) fields.apiKey = key;
  } else if (s.provider === 'anthropic') {
    if (s.baseUrl) fields.anthropicApiUrl = s.baseUrl;
    if (apiKey) fields.apiKey = apiKey;
  } else if (s.baseUrl) {
    fields.baseUrl = s.baseUrl;
    if (apiKey) fields.apiKey = apiKey;
  }
  const { initChatModel } = await import('langchain/chat_models/universal');
  try {
    return (await initChatModel(s.model, fields)) as unknown as BaseChatModel;
  } catch (error) {
    throw new ToolError('INVALID_CONFIG', `model '${s.provider}:${s.model}': ${(error as Error).message}`);
  }
}

/**
 * The hub's model choice: in `planner.mode: llm`, each role's `model` or else `planner.model`;
 * in deterministic mode, none. Models are built once per spec and reused.
 */
export function modelProvider(options: { mode: 'deterministic' | 'llm'; model?: ModelSpec; factory?: ModelFactory }): ModelProvider {
  const built = new Map<string, Promise<BaseChatModel>>();
  const factory = options.factory ?? ((spec: ModelSpec) => createChatModel(spec));
  return async (role) => {
    if (options.mode !== 'llm') return undefined;
    const spec = role?.model ?? options.model;
    if (spec === undefined) return undefined;
    const key = JSON.stringify(spec);
    let model = built.get(key);
    if (model === undefined) {
      model = factory(spec);
      built.set(key, model);
      model.catch(() => built.delete(key));
    }
    return model;
  };
}
