// The two parses of a Dex YAML text (config.yaml, or one connector entry): YAML 1.2 for editing and
// printing, YAML 1.1 for what Dex (yaml.v2) sees. Shared by the document and its edits.
import { isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { DexConfigParseError } from './dexTypes.js';

export interface ParsedYaml {
  /** YAML 1.2 Document for editing and printing. */
  doc: Document;
  /** YAML 1.1 Document: what Dex sees. */
  dexDoc: Document;
  /** Plain JS of `dexDoc`. */
  view: unknown;
  lineCounter: LineCounter;
}

/** Parses YAML text both ways; throws DexConfigParseError with line and column on syntax errors. */
export function parseYaml(text: string, label: string, consequence: string): ParsedYaml {
  // Dex's yaml.v2 strips one byte-order mark; a second one becomes text and the whole file is
  // misread (the Go checker sees no connectors at all), so the tool must not show what Dex won't.
  if (text.startsWith('\ufeff\ufeff')) {
    throw new DexConfigParseError(
      'yaml.bom',
      `${label} starts with more than one byte-order mark (U+FEFF): Dex reads the extra one as text and misreads the file. ${consequence}`,
      1,
      1,
    );
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: false, keepSourceTokens: true, lineCounter });
  const dexDoc = parseDocument(text, { version: '1.1', uniqueKeys: false, keepSourceTokens: true });
  const error = doc.errors[0] ?? dexDoc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    const reason = error.message.split(/ at line \d+, column \d+/)[0].replace(/\.$/, '');
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    throw new DexConfigParseError(
      'yaml.syntax',
      `${label} is not valid YAML${where}: ${reason}. ${consequence}`,
      pos?.line,
      pos?.col,
    );
  }
  // Dex turns every mapping key into a string (ghodss/yaml). The yaml package's YAML 1.1 schema
  // resolves some plain keys as numbers (`e0` even as NaN, which yaml.v2 reads as "e0"), so keys
  // keep their source text (found by the property tests).
  visit(dexDoc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && typeof pair.key.value !== 'string' && typeof pair.key.source === 'string') {
        pair.key.value = pair.key.source;
      }
    },
  });
  let view: unknown;
  try {
    view = dexDoc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new DexConfigParseError(
      'yaml.syntax',
      `${label} is not valid YAML: ${(err as Error).message}. ${consequence}`,
    );
  }
  return { doc, dexDoc, view, lineCounter };
}
