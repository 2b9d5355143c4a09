import type { McpServer } from '@modelcontextprotocol/server';
import { registerTool } from '@switchboard/kit';
import type { S3Deps } from '../deps.ts';
import { copyObjectTool } from './copy-object.ts';
import { deleteObjectTool } from './delete-object.ts';
import { getObjectTool } from './get-object.ts';
import { headObjectTool } from './head-object.ts';
import { listBucketsTool } from './list-buckets.ts';
import { listObjectsTool } from './list-objects.ts';
import { presignUrlTool } from './presign-url.ts';
import { putObjectTool } from './put-object.ts';

export function registerTools(server: McpServer, deps: S3Deps): void {
  registerTool(server, listBucketsTool(deps));
  registerTool(server, listObjectsTool(deps));
  registerTool(server, getObjectTool(deps));
  registerTool(server, putObjectTool(deps));
  registerTool(server, headObjectTool(deps));
  registerTool(server, deleteObjectTool(deps));
  registerTool(server, copyObjectTool(deps));
  registerTool(server, presignUrlTool(deps));
}
