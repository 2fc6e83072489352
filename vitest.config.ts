import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["./test/globalSetup.ts"],
    pool: "forks",
    reporters: ["default", "./test/summaryReporter.ts"],
    // Each file gets its own database; PGlite boots in about half a second from the migrated image.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
