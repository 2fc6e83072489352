/**
 * Chart colours: the app's accent, status and priority hues, each at least 3:1 against the white
 * card (WCAG's contrast for graphics). SVG attributes need literal colours, not CSS variables.
 */
export const palette = {
  created: "#2453a6",
  resolved: "#1a7f37",
  bar: "#2453a6",
  compliance: "#1a7f37",
  priority: { low: "#6e7781", medium: "#2453a6", high: "#9a6700", urgent: "#b42318" },
  open: "#2453a6",
  inProgress: "#8250df",
  waitingOnCustomer: "#9a6700",
  grid: "#d0d7de",
  axis: "#57606a",
} as const;

/** Settings every chart shares: no animation (steady screenshots, calm for everyone), no keyboard layer (the tables carry the numbers). */
export const chartDefaults = { accessibilityLayer: false, margin: { top: 8, right: 16, bottom: 8, left: 0 } } as const;
