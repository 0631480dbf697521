// Diffs for the save preview and the conflict dialog. Both sides are masked with the one rule of
// masking.ts before diffing, and a secret that changed still shows as a changed line
// ("clientSecret: ***" → "clientSecret: *** (changed)") without its value.
import { createTwoFilesPatch } from 'diff';
import { analyseSecrets, CHANGED_MASK, MASK, maskConfigText, maskSecretLines, maskSpots } from './masking.js';

export { CHANGED_MASK, MASK } from './masking.js';

const CONFIG_KEY = 'config.yaml';
const MAPPING_KEY = 'rolesMapping';

export function maskDexConfigText(text: string): string {
  return maskConfigText(text);
}

export function unifiedDiff(
  before: string,
  after: string,
  options: { label: string; context?: number },
): string {
  if (before === after) return '';
  const patch = createTwoFilesPatch(
    `a/${options.label}`,
    `b/${options.label}`,
    before,
    after,
    undefined,
    undefined,
    {
      context: options.context ?? 3,
    },
  );
  // Drop the "Index:"/"=====" preamble; keep the ---/+++ headers and hunks.
  return patch.replace(/^(?:Index: .*\n)?=+\n/, '');
}

/** The diff of two config.yaml versions with every secret masked; changed secrets read "*** (changed)". */
export function maskedDexDiff(beforeConfig: string, afterConfig: string): string {
  const before = analyseSecrets(beforeConfig);
  const after = analyseSecrets(afterConfig);
  const scrub = [...before.values, ...after.values];
  const previous = new Map(before.spots.map((s) => [s.key, s.value]));
  const maskedBefore = before.parsed
    ? maskSpots(beforeConfig, before.spots, () => MASK, scrub)
    : maskSecretLines(beforeConfig, { comments: false });
  const maskedAfter = after.parsed
    ? maskSpots(
        afterConfig,
        after.spots,
        (s) => (previous.has(s.key) && previous.get(s.key) !== s.value ? CHANGED_MASK : MASK),
        scrub,
      )
    : maskSecretLines(afterConfig, { comments: false });
  return unifiedDiff(maskedBefore, maskedAfter, { label: CONFIG_KEY });
}

/**
 * The masked diff of dex-config's data, as lines: config.yaml by the masking rule, rolesMapping
 * (no secrets by its format) with its comments masked all the same, and any other key only by name
 * (its value may be anything, so it is never shown). Used for the save preview and for what a
 * colleague changed in a conflict.
 */
export function maskedDataDiff(before: Record<string, string>, after: Record<string, string>): string[] {
  const lines: string[] = [];
  const text = (data: Record<string, string>, key: string) => data[key] ?? '';
  if (text(before, CONFIG_KEY) !== text(after, CONFIG_KEY))
    lines.push(...maskedDexDiff(text(before, CONFIG_KEY), text(after, CONFIG_KEY)).split('\n'));
  if (text(before, MAPPING_KEY) !== text(after, MAPPING_KEY)) {
    const mask = (s: string) => maskSecretLines(s, { comments: true });
    const diff = unifiedDiff(mask(text(before, MAPPING_KEY)), mask(text(after, MAPPING_KEY)), {
      label: MAPPING_KEY,
    });
    // Masking can make both sides equal (only a commented secret changed): still say it changed.
    lines.push(...(diff || `--- a/${MAPPING_KEY}\n+++ b/${MAPPING_KEY}\n ${CHANGED_MASK}`).split('\n'));
  }
  const others = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => k !== CONFIG_KEY && k !== MAPPING_KEY && before[k] !== after[k])
    .sort();
  for (const key of others) {
    if (before[key] !== undefined) lines.push(`--- a/${key}`, `- ${MASK}`);
    if (after[key] !== undefined)
      lines.push(`+++ b/${key}`, `+ ${before[key] === undefined ? MASK : CHANGED_MASK}`);
  }
  return lines.filter((l, i, all) => !(i === all.length - 1 && l === ''));
}
