/**
 * A strict RFC 4180 reader for tests: records end in CRLF, a field is either plain (no comma, quote,
 * CR or LF) or quoted (quotes doubled inside). Anything else throws, so a test that reads the
 * gateway's CSV with it also checks that the CSV is well-formed.
 */
export const parseCsv = (text: string): string[][] => {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && !/[,\r\n"]/.test(text[i])) field += text[i++];
      if (text[i] === '"') throw new Error(`a quote inside a plain field at ${i}`);
    }
    record.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
      continue;
    }
    throw new Error(`expected a comma or CRLF at ${i}`);
  }
  if (record.length) throw new Error('the last record has no CRLF');
  return records;
};
