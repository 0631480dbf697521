// The standalone bundle's stand-in for Intl.Segmenter (scripts/standalone/lazySegmenter.mjs): the
// same segments as the real one, made only on first use.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LazySegmenter } from '../../scripts/standalone/lazySegmenter.mjs';

test('segments exactly as Intl.Segmenter does, with the same options', () => {
  const text = 'a\u0301👩‍👩‍👧 e\u0300 日本語 🇩🇪x';
  for (const options of [undefined, { granularity: 'grapheme' as const }, { granularity: 'word' as const }]) {
    const lazy = new LazySegmenter(undefined, options);
    const real = new Intl.Segmenter(undefined, options);
    assert.deepEqual([...lazy.segment(text)], [...real.segment(text)]);
    assert.equal(lazy.resolvedOptions().granularity, real.resolvedOptions().granularity);
  }
});
