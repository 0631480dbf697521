// What gopkg.in/yaml.v2's reader accepts, the library both Dex (config.yaml) and Epinio
// (rolesMapping) read with: any other character anywhere in the text, even in a comment, stops it
// with "control characters are not allowed" (found by the fuzzer through the real Dex, and
// confirmed for rolesMapping with the Go reference checker).
const NOT_YAML_V2 = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** The first character yaml.v2 refuses, as `U+XXXX`, and its line; undefined when there is none. */
export function yamlV2RefusedCharacter(text: string): { code: string; line: number } | undefined {
  const m = NOT_YAML_V2.exec(text);
  if (!m) return undefined;
  return {
    code: `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
    line: text.slice(0, m.index).split('\n').length,
  };
}

// yaml.v2 also reads NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029) as line
// breaks, where the yaml package here does not: in a comment the rest of the line becomes YAML to
// Dex ("mapping values are not allowed in this context"; found by CI's fuzzer through the real Dex).
const YAML_V2_LINE_BREAK = /[\x85\u2028\u2029]/u;

/** The first character yaml.v2 reads as a line break that the yaml package does not, with its
 *  offset in `text` (to find the node it sits in); undefined if none. */
export function yamlV2ExtraLineBreak(
  text: string,
): { code: string; line: number; index: number } | undefined {
  const m = YAML_V2_LINE_BREAK.exec(text);
  if (!m) return undefined;
  return {
    code: `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
    line: text.slice(0, m.index).split('\n').length,
    index: m.index,
  };
}
