import { ToolError } from '@switchboard/kit';
import { MongoBackendError } from './backend.ts';

/** Store failures as domain errors naming the argument at fault. */
export function mongoToolError(error: unknown, field: string): unknown {
  if (!(error instanceof MongoBackendError)) return error;
  switch (error.failure) {
    case 'DUPLICATE_KEY':
      return new ToolError('ALREADY_EXISTS', `a document with this _id already exists (${error.message})`, field);
    case 'INVALID':
      return new ToolError('INVALID_ARGUMENT', `MongoDB refused it: ${error.message}`, field);
    case 'DENIED':
      return new ToolError('ACL_DENIED', `the database user may not do this: ${error.message}`, field);
    case 'UNAVAILABLE':
      return new ToolError('UPSTREAM_UNAVAILABLE', 'MongoDB is unreachable; check that it runs at the configured URL');
    case 'TIMEOUT':
      return new ToolError('TIMEOUT', `MongoDB did not finish in time: ${error.message}`);
  }
}

export async function onMongo<T>(field: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw mongoToolError(error, field);
  }
}
