// Windowed lists: only the rows that fit are rendered. The window follows the cursor with the
// least scrolling (keeps the previous offset when the cursor is still visible).
export interface ListPosition {
  cursor: number;
  offset: number;
}

export function clampPosition(pos: ListPosition, total: number, height: number): ListPosition {
  const h = Math.max(1, height);
  if (total <= 0) return { cursor: 0, offset: 0 };
  const cursor = Math.min(Math.max(0, pos.cursor), total - 1);
  let offset = Math.min(Math.max(0, pos.offset), Math.max(0, total - h));
  if (cursor < offset) offset = cursor;
  if (cursor >= offset + h) offset = cursor - h + 1;
  return { cursor, offset };
}

/** Moves by delta ('home'/'end' as ±Infinity) and keeps the cursor inside the window. */
export function moveCursor(pos: ListPosition, delta: number, total: number, height: number): ListPosition {
  const target = delta === Infinity ? total - 1 : delta === -Infinity ? 0 : pos.cursor + delta;
  return clampPosition({ cursor: target, offset: pos.offset }, total, height);
}

/** The slice to render. */
export function visibleSlice<T>(
  items: readonly T[],
  pos: ListPosition,
  height: number,
): { rows: T[]; start: number } {
  const p = clampPosition(pos, items.length, height);
  return { rows: items.slice(p.offset, p.offset + Math.max(1, height)), start: p.offset };
}

/** Case-insensitive substring filter over the given text of each item. */
export function filterItems<T>(items: readonly T[], query: string, text: (item: T) => string): T[] {
  return [...filterBySearchTexts(items, searchTexts(items, text), query)];
}

/** The lowercased text each item is searched by: computed once for a long list, not per keystroke. */
export function searchTexts<T>(items: readonly T[], text: (item: T) => string): string[] {
  return items.map((i) => text(i).toLowerCase());
}

/** filterItems over texts from searchTexts(); without a query, the items themselves. */
export function filterBySearchTexts<T>(
  items: readonly T[],
  texts: readonly string[],
  query: string,
): readonly T[] {
  const q = query.trim().toLowerCase();
  if (!q) return items;
  return items.filter((_, i) => texts[i]!.includes(q));
}

/** Delta for list navigation keys, or undefined. */
export function navDelta(name: string, page: number): number | undefined {
  switch (name) {
    case 'up':
    case 'k':
      return -1;
    case 'down':
    case 'j':
      return 1;
    case 'pageup':
      return -Math.max(1, page);
    case 'pagedown':
      return Math.max(1, page);
    case 'home':
    case 'g':
      return -Infinity;
    case 'end':
    case 'G':
      return Infinity;
    default:
      return undefined;
  }
}
