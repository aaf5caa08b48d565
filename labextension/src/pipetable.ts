/**
 * Re-align the pipe table of a `%%gkreport` cell: every cell padded to its column's width,
 * Chinese characters counted two columns wide as a monospace editor shows them.  Only the
 * padding changes: no cell text is added, dropped or moved, so gk-check reads the same table.
 */

const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
const DELIMITER = /^:?-+:?$/;

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    width += WIDE.test(ch) || ch.codePointAt(0)! > 0xffff ? 2 : 1;
  }
  return width;
}

function splitRow(line: string): string[] {
  let inner = line.trim();
  inner = inner.startsWith('|') ? inner.slice(1) : inner;
  inner = inner.endsWith('|') && !inner.endsWith('\\|') ? inner.slice(0, -1) : inner;
  return inner.split(/(?<!\\)\|/).map(cell => cell.trim());
}

function alignBlock(lines: string[]): string[] {
  const rows = lines.map(splitRow);
  const columns = Math.max(...rows.map(row => row.length));
  const isDelimiter = rows.map(row => row.every(cell => DELIMITER.test(cell)));
  const widths = Array.from({ length: columns }, (_, i) =>
    Math.max(3, ...rows.filter((_, r) => !isDelimiter[r]).map(row => displayWidth(row[i] ?? '')))
  );
  return rows.map((row, r) => {
    const cells = widths.map((width, i) => {
      const cell = row[i] ?? '';
      if (isDelimiter[r]) {
        const left = cell.startsWith(':') ? ':' : '';
        const right = cell.length > 1 && cell.endsWith(':') ? ':' : '';
        return left + '-'.repeat(width - left.length - right.length) + right;
      }
      return cell + ' '.repeat(width - displayWidth(cell));
    });
    return `| ${cells.join(' | ')} |`;
  });
}

/** The source with each run of `|` lines aligned; other lines untouched. */
export function alignPipeTable(source: string): string {
  const lines = source.split('\n');
  const out: string[] = [];
  let block: string[] = [];
  const flush = () => {
    out.push(...(block.length >= 2 ? alignBlock(block) : block));
    block = [];
  };
  for (const line of lines) {
    if (line.trim().startsWith('|')) {
      block.push(line);
    } else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out.join('\n');
}
