import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const apiTarget = process.env.SWITCHBOARD_URL ?? "http://localhost:3000";

/**
 * The web app (web/) builds into dist/web, which the server serves (src/http/webApp.ts).
 * `npx vite` runs a dev server on :5173 that forwards the API and the stream to a running
 * `npm run dev` (or SWITCHBOARD_URL), so the session cookie stays same-origin.
 */
export default defineConfig({
  root: fileURLToPath(new URL("./web", import.meta.url)),
  base: "/",
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("./dist/web", import.meta.url)),
    emptyOutDir: true,
    // The polyfill would be inline script, which the pages' CSP forbids; every browser we target has modulepreload.
    modulePreload: { polyfill: false },
    sourcemap: true,
    chunkSizeWarningLimit: 600,
  },
  server: {
    port: 5173,
    proxy: {
      "/api": { target: apiTarget, ws: true, changeOrigin: false },
      "/healthz": apiTarget,
    },
  },
});
