// CSV for spreadsheets (RFC 4180): comma-separated, CRLF line ends, a field with a comma, a quote
// or a line break in double quotes with its quotes doubled. A cell that starts with = + - @ (or a
// tab or carriage return) would run as a formula in Excel, LibreOffice or Google Sheets (CSV
// injection): it is prefixed with ', which the spreadsheet shows as text. Usernames and roles come
// from the cluster, so this is not hypothetical.
export type CsvCell = string | number | boolean | null | undefined | readonly string[];

const FORMULA = /^[=+\-@\t\r]/;

export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join(';') : String(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatCsv(headers: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [headers, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
