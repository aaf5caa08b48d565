/**
 * Re-align the pipe table of a `%%gkreport` cell: every cell padded with blank space to its
 * column's width.  Widths are in spaces, measured in the editor's own font where there is one (a Chinese
 * character is about 1.66 spaces in JupyterLab's default DejaVu Sans Mono with a CJK fallback, not
 * the 2 of a terminal), else counted by East Asian Width.  Only the padding changes: no cell text is
 * added, dropped or moved, so gk-check reads the same table.
 */

const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
const DELIMITER = /^:?-+:?$/;

/** The width of a text, in spaces. */
export type Measure = (text: string) => number;

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

/**
 * A measure of text as a line of `line` shows it: laid out by the browser in the line's font, so
 * that the fonts each character falls back to are the ones the editor uses.  `dispose` when done.
 */
export function lineMeasure(line: Element): { measure: Measure; dispose: () => void } {
  const style = getComputedStyle(line);
  const probe = document.createElement('span');
  probe.style.cssText = 'position:absolute;left:-100000px;top:0;visibility:hidden;white-space:pre';
  // the longhands: the computed `font` shorthand is empty when a longhand has no shorthand form
  for (const property of ['fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'fontStretch', 'fontVariant', 'letterSpacing'] as const) {
    probe.style[property] = style[property];
  }
  document.body.appendChild(probe);
  const pixels = (text: string) => {
    probe.textContent = text;
    return probe.getBoundingClientRect().width;
  };
  const space = pixels(' '.repeat(20)) / 20 || 1;
  const known = new Map<string, number>();
  const measure = (text: string) => {
    if (!known.has(text)) {
      known.set(text, pixels(text) / space);
    }
    return known.get(text)!;
  };
  return { measure, dispose: () => probe.remove() };
}

function alignBlock(lines: string[], measure: Measure): string[] {
  const rows = lines.map(splitRow);
  const columns = Math.max(...rows.map(row => row.length));
  const isDelimiter = rows.map(row => row.every(cell => DELIMITER.test(cell)));
  const widths = Array.from({ length: columns }, (_, i) =>
    // whole spaces, so that the delimiter row, which is dashes only, can end its columns there too
    Math.max(3, Math.ceil(Math.max(...rows.filter((_, r) => !isDelimiter[r]).map(row => measure(row[i] ?? ''))) - 0.01))
  );
  // Each line is padded so that its n-th pipe falls where the widths put it; rounding is done on
  // the running total, so fractional widths never add up along a line.
  return rows.map((row, r) => {
    let line = '|';
    let target = 1;
    widths.forEach((width, i) => {
      const cell = row[i] ?? '';
      target += width + 3; // " cell |"
      if (isDelimiter[r]) {
        const left = cell.startsWith(':') ? ':' : '';
        const right = cell.length > 1 && cell.endsWith(':') ? ':' : '';
        const dashes = Math.max(3, Math.round(target - 1 - measure(line)) - left.length - right.length);
        line += left + '-'.repeat(dashes) + right + '|';
      } else {
        const text = `${line} ${cell}`;
        line = text + padding(target - 1 - measure(text), measure) + '|';
      }
    });
    return line;
  });
}

/**
 * Blank space about `width` spaces wide: ASCII spaces and ideographic spaces (U+3000, as wide as
 * a Chinese character), the mix that comes closest, so that a column can end where it should even
 * when a Chinese character is not a whole number of spaces wide (in JupyterLab's default font a
 * column ends within a fifth of a space of its place).  Cells are read stripped of both kinds.
 */
function padding(width: number, measure: Measure): string {
  const wide = measure('\u3000');
  let best = ' '.repeat(Math.max(1, Math.round(width)));
  let error = Math.abs(measure(best) - width);
  for (let ideographic = 1; ideographic <= 4 && ideographic * wide <= width + 0.5; ideographic++) {
    const rest = width - ideographic * wide;
    for (const spaces of new Set([Math.floor(rest), Math.ceil(rest)])) {
      if (spaces < 0) {
        continue;
      }
      const candidate = ' '.repeat(spaces) + '\u3000'.repeat(ideographic);
      const off = Math.abs(measure(candidate) - width);
      if (off < error - 0.01) {
        [best, error] = [candidate, off];
      }
    }
  }
  return best;
}

/** The source with each run of `|` lines aligned; other lines untouched. */
export function alignPipeTable(source: string, measure: Measure = displayWidth): string {
  const lines = source.split('\n');
  const out: string[] = [];
  let block: string[] = [];
  const flush = () => {
    out.push(...(block.length >= 2 ? alignBlock(block, measure) : block));
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
