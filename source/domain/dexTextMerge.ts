// Keeps an edit to config.yaml local to the lines it must change.
//
// The yaml printer normalises untouched parts (comment alignment, flow padding, sequence indent),
// so printing the edited Document would rewrite lines the operator never touched. Instead we
// print the Document before and after the edit (`before`, `after`) and carry only that
// difference over to the operator's text: a three-way merge with `before` as the common base.
// Where a formatting difference and the edit overlap, the edit's lines win for that region only.
import { diffArrays } from 'diff';

interface Hunk {
  /** Replaced range of base lines [start, end); start === end is a pure insertion. */
  start: number;
  end: number;
  lines: string[];
}

function hunks(base: string[], other: string[]): Hunk[] {
  const out: Hunk[] = [];
  let pos = 0;
  let current: Hunk | undefined;
  for (const change of diffArrays(base, other)) {
    if (change.removed) {
      current ??= { start: pos, end: pos, lines: [] };
      current.end += change.count ?? change.value.length;
      pos += change.count ?? change.value.length;
    } else if (change.added) {
      current ??= { start: pos, end: pos, lines: [] };
      current.lines.push(...change.value);
    } else {
      if (current) out.push(current);
      current = undefined;
      pos += change.count ?? change.value.length;
    }
  }
  if (current) out.push(current);
  return out;
}

/** Splits an n-lines-for-n-lines replacement into single-line hunks: reformatting is line by line. */
function perLine(list: Hunk[]): Hunk[] {
  return list.flatMap((h) =>
    h.end - h.start === h.lines.length && h.lines.length > 1
      ? h.lines.map((line, k) => ({ start: h.start + k, end: h.start + k + 1, lines: [line] }))
      : [h],
  );
}

function overlaps(a: Hunk, b: Hunk): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  if (a.start === a.end) return a.start > b.start && a.start < b.end;
  if (b.start === b.end) return b.start > a.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

/** `ours` with the change `base` -> `theirs` carried over. Lines are compared without terminators. */
export function mergeEdit(base: string, ours: string, theirs: string): string {
  const crlf = ours.includes('\r\n');
  const oursText = crlf ? ours.replace(/\r\n/g, '\n') : ours;
  const b = base.split('\n');
  const o = oursText.split('\n');
  const t = theirs.split('\n');
  const mine = perLine(hunks(b, o));
  const edit = hunks(b, t);

  const result: string[] = [];
  let pos = 0;
  let i = 0;
  let j = 0;
  while (i < mine.length || j < edit.length) {
    const m = mine[i];
    const e = edit[j];
    let take: 'mine' | 'edit' | 'conflict';
    if (m && e && overlaps(m, e)) take = 'conflict';
    else if (!e) take = 'mine';
    else if (!m) take = 'edit';
    // An insertion at the start of the other's range goes first; otherwise by position.
    else if (e.start < m.start || (e.start === m.start && e.start === e.end)) take = 'edit';
    else take = 'mine';

    if (take === 'conflict') {
      if (m!.start === m!.end && e!.start === e!.end) {
        // Both insert at one point: keep the operator's lines, then add the edit's.
        result.push(...b.slice(pos, m!.start), ...m!.lines, ...e!.lines);
        pos = m!.start;
        i++;
        j++;
        continue;
      }
      // Grow the region until no hunk of either side reaches into it; the edit's version wins there.
      const region = { start: Math.min(m!.start, e!.start), end: Math.max(m!.end, e!.end) };
      let mi = i + 1;
      let k = j + 1;
      for (let grew = true; grew;) {
        grew = false;
        for (; mi < mine.length && mine[mi].start < region.end; mi++, grew = true)
          region.end = Math.max(region.end, mine[mi].end);
        for (; k < edit.length && edit[k].start < region.end; k++, grew = true)
          region.end = Math.max(region.end, edit[k].end);
      }
      result.push(...b.slice(pos, region.start));
      let p = region.start;
      for (let x = j; x < k; x++) {
        result.push(...b.slice(p, edit[x].start), ...edit[x].lines);
        p = edit[x].end;
      }
      result.push(...b.slice(p, region.end));
      pos = region.end;
      i = mi;
      j = k;
      continue;
    }
    const h = take === 'mine' ? m! : e!;
    result.push(...b.slice(pos, h.start), ...h.lines);
    pos = h.end;
    if (take === 'mine') i++;
    else j++;
  }
  result.push(...b.slice(pos));
  const merged = result.join('\n');
  return crlf ? merged.replace(/\n/g, '\r\n') : merged;
}
