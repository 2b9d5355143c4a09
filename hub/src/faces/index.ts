export { createHttpFace, type HttpFace, type ListeningHttpFace, serveHubHttp } from './http.ts';
export { createHubMcpServer } from './mcp-server.ts';
export { type StdioOptions, serveHubStdio } from './stdio.ts';
export { factsOf, resolveView, visibleTools } from './tool-view.ts';
