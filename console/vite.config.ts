import { defineConfig } from 'vite';

// The console is served by the hub at /ui (hub/src/faces/console/bundle.ts); `npm run dev -w console`
// serves it from Vite with /v1 proxied to a hub on 127.0.0.1:7700.
export default defineConfig({
  base: '/ui/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The hub's CSP allows scripts from the bundle only: no inline polyfill.
    modulePreload: { polyfill: false },
    // The DAG view (Cytoscape + dagre) is its own chunk, loaded on a task's page only.
    chunkSizeWarningLimit: 800,
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:7700' } },
});
