import type { World } from "./world.js";

/** One browser journey: a name that says what it proves, and the steps. */
export type Journey = { name: string; run: (world: World) => Promise<void> };
