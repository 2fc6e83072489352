export * from "./enums.js";
export * from "./people.js";
export * from "./tickets.js";
export * from "./sla.js";
export * from "./jobs.js";
export * from "./email.js";
export * from "./subscriptions.js";
export * from "./webhooks.js";
