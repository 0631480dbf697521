export declare class LazySegmenter {
  constructor(locales?: string | string[], options?: Intl.SegmenterOptions);
  segment(input: string): Intl.Segments;
  resolvedOptions(): Intl.ResolvedSegmenterOptions;
  static supportedLocalesOf(locales: string | string[], options?: Intl.SegmenterOptions): string[];
}
