// Ink render options shared by the real terminal (run.tsx) and the key->frame benchmark, so the
// benchmark measures what operators get. 60 fps halves Ink's default 34 ms throttle window.
// Measured with 5,000 users (bench/keys.tsx, production React, two alternating runs each):
// key->frame p50 13.6 -> 11.1-12.6 ms, p99 30-36 -> 28-30 ms. Ink 6.8's incrementalRendering was
// faster still but left stale lines on the alternate screen (the e2e suites caught it), so it is off.
export const RENDER_OPTIONS = { maxFps: 60 } as const;
