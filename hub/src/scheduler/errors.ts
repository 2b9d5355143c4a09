/** An error of the task API: a code the faces map to HTTP statuses and tool results, and the field at fault. */
export type TaskApiErrorCode = 'INVALID_ARGUMENT' | 'NOT_FOUND' | 'CONFLICT' | 'ACL_DENIED' | 'UNAVAILABLE' | 'INTERNAL';

export class TaskApiError extends Error {
  override readonly name = 'TaskApiError';
  constructor(
    readonly code: TaskApiErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const HTTP_STATUS: Record<TaskApiErrorCode, 400 | 403 | 404 | 409 | 500 | 503> = {
  INVALID_ARGUMENT: 400,
  ACL_DENIED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};
