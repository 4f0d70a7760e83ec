import { defineConfig } from 'vite';

// The node serves the built files from its jar at /explorer/ (io.maaschain.api.ExplorerRoutes). Maven runs
// `npm run build` with EXPLORER_OUT=target/classes/explorer so the files land in the jar's resources.
export default defineConfig({
  base: '/explorer/',
  build: {
    outDir: process.env.EXPLORER_OUT ?? 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
});
