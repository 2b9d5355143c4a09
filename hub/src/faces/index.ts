export { createHttpFace, type HttpFace, type ListeningHttpFace, serveHubHttp } from './http.ts';
export { createHubMcpServer } from './mcp-server.ts';
export { serveHubStdio } from './stdio.ts';
