// The bytes of a manifest as text, or an error that says what the file really is: an empty file,
// UTF-16 (what PowerShell's `>` writes), binary data or other non-UTF-8 bytes. Each would otherwise
// parse as "no objects" and be reported as a missing dex-config with a namespace hint.
import { isUtf8 } from 'node:buffer';
import { StoreError } from '../errors.js';

const EXPORT_HINT = 'export the objects with: kubectl get secret,configmap -n NAMESPACE -o yaml > FILE';

export function decodeManifest(bytes: Buffer, path: string): string {
  if (!bytes.length || /^\s*$/.test(bytes.toString('latin1')))
    throw new StoreError(
      'FileError',
      `${path} is empty${bytes.length ? ' (only white space)' : ''}: there is no dex-config to load`,
      EXPORT_HINT,
    );
  const bom =
    bytes[0] === 0xff && bytes[1] === 0xfe ? 'LE' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'BE' : '';
  // Without a byte-order mark, UTF-16 text of ASCII shows as a NUL beside every character.
  const head = bytes.subarray(0, 4096);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < head.length; i++) {
    if (head[i] !== 0) continue;
    if (i % 2) oddNul++;
    else evenNul++;
  }
  const half = head.length / 2;
  if (bom || evenNul > half * 0.4 || oddNul > half * 0.4)
    throw new StoreError(
      'FileError',
      `${path} is UTF-16 text (${bom ? `a UTF-16 ${bom} byte-order mark` : 'NUL bytes between its characters'}), not UTF-8: manifests are read as UTF-8`,
      `convert it with: iconv -f UTF-16 -t UTF-8 ${path} > ${path}.utf8 (PowerShell: Out-File -Encoding utf8)`,
    );
  const nul = bytes.indexOf(0);
  if (nul !== -1)
    throw new StoreError(
      'FileError',
      `${path} is not a YAML manifest: it holds binary data (a NUL byte at offset ${nul})`,
      `--file takes the YAML or JSON that kubectl writes; ${EXPORT_HINT}`,
    );
  const text = bytes.toString('utf8');
  if (!isUtf8(bytes)) {
    const at = Buffer.byteLength(text.slice(0, Math.max(0, text.indexOf('\ufffd'))));
    throw new StoreError(
      'FileError',
      `${path} is not a YAML manifest: it is not UTF-8 text (invalid byte 0x${bytes[at]?.toString(16).padStart(2, '0')} at offset ${at})`,
      `convert it to UTF-8 (iconv -f LATIN1 -t UTF-8 for Latin-1 text); ${EXPORT_HINT}`,
    );
  }
  return text;
}
