import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console server serves dist/ at `/` and the API under /api on the same origin; in `vite dev`
 * the API is proxied to CONSOLE_API_URL so the session cookie stays first-party.
 */
export default defineConfig({
  plugins: [react()],
  // One bundle (about 170 kB gzipped) for a console used all day on the same tablet: splitting it
  // would only add round trips.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  server: {
    proxy: {
      '/api': { target: process.env.CONSOLE_API_URL ?? 'http://127.0.0.1:8090', changeOrigin: false },
    },
  },
});
