// Injected into the standalone bundle in place of Intl.Segmenter (scripts/buildStandalone.mjs):
// several modules make a segmenter when they are evaluated, and an ICU segmenter is native state
// that a V8 startup snapshot cannot hold (the snapshot build aborts). This one makes the real
// segmenter on first use, after the executable started.
export class LazySegmenter {
  #args;
  #real;
  constructor(...args) {
    this.#args = args;
  }
  #get() {
    // A computed name, so the build's `define` of Intl.Segmenter does not rewrite this one.
    return (this.#real ??= new globalThis.Intl['Segmenter'](...this.#args));
  }
  segment(input) {
    return this.#get().segment(input);
  }
  resolvedOptions() {
    return this.#get().resolvedOptions();
  }
  static supportedLocalesOf(...args) {
    return globalThis.Intl['Segmenter'].supportedLocalesOf(...args);
  }
}
