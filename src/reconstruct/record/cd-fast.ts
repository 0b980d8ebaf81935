import type { DecodedRow } from '../decode-row.js';
import type { SqlValue } from '../values.js';
import { decoderForCodePage, NOTE_UNDEFINED, type CodePageDecoder } from '../collation.js';
import { columnCodePage, fixedReader } from '../types/index.js';
import { decodeNvarchar, ROW_TEXT_NOTES, undefinedBytesWarning } from '../types/string.js';
import { CD_CLUSTER_SIZE, cdValueDecoder, decodeCompressedRow, readFlippedBE, readFlippedBE32 } from './cd.js';
import { literalKey, type RowPlan } from './plan.js';
import { CD_RECORD_LONG_DATA, CD_RECORD_TYPES, CD_RECORD_VERSIONING, isCdGhostCode } from './status.js';

/**
 * The CD (row-compressed) decoder's fast path: one generated function per layout plan (`new
 * Function`, cached as `plan.cdFast`), the record parse of `parseCdRecord` and the column loop of
 * `decodeCompressedRow` (record/cd.ts) unrolled for the layout's column count, with every CD-array
 * position, cluster boundary and CD index a constant, and `values` built as one object literal.
 *
 * It takes only the common case and hands everything else back (returns undefined) to the generic
 * `decodeCompressedRow`, which then raises exactly the error or warning it always raised:
 *  - a record whose column count is not the layout's stored column count (older rows, schema
 *    drift), a 2-byte count where 1 byte suffices, a versioning tag, a record type other than
 *    primary / ghost data / forwarded;
 *  - any structural fault the generic parse reports: truncation, a CD value above 12, a short- or
 *    long-data cluster byte that disagrees, a long-data entry count that disagrees, offsets going
 *    backwards or past the image, long columns without a long-data region, bytes after the record's
 *    end in an exact image;
 *  - a page-dictionary symbol, a bit-true CD on a non-bit column, a bit column with a CD other
 *    than NULL/empty/true, a complex (off-row) long value, a 16-byte text pointer of a text/ntext/image
 *    column, a uniqueidentifier of other than 16 bytes, a value of a type with no CD decoder.
 * Every check above is made before any value is decoded. Values are then decoded in output
 * (column_id) order by the same CD value decoders (`cdValueDecoder`) the generic loop uses, so a
 * DecodeError they throw (DECODE_BAD_VALUE, DECODE_UNSUPPORTED) is the one the generic path throws
 * for that row; a few types take an inline shortcut for their common shape that returns what the
 * decoder returns and calls the decoder itself for anything else.
 *
 * Layouts not generated (plan.cdFast = null, always the generic path): sparse columns or stored
 * columns without a CD index (the generic path raises DECODE_SCHEMA_MISMATCH), duplicate output
 * names, more than CD_FAST_MAX_COLUMNS stored columns, no stored column at all.
 */

/** One generated reader: the decoded row, or undefined to take the generic path. */
export type CdFastReader = (image: Uint8Array, exact: boolean) => DecodedRow | undefined;

/** Largest stored column count a reader is generated for (beyond, the generic loop). */
const CD_FAST_MAX_COLUMNS = 256;

/**
 * Decodes one CD record against a layout plan: the generated reader when it takes the record,
 * otherwise `decodeCompressedRow`. Same result, warnings and DecodeError as `decodeCompressedRow`.
 */
export function decodeCdRow(image: Uint8Array, plan: RowPlan, exact = true): DecodedRow {
  let fast = plan.cdFast;
  if (fast === undefined) fast = plan.cdFast = cdFastReaderFor(plan);
  if (fast !== null) {
    const noted = ROW_TEXT_NOTES.length;
    const row = fast(image, exact);
    if (row !== undefined) return row;
    // the generic loop reads every column again, its notes too
    if (ROW_TEXT_NOTES.length !== noted) ROW_TEXT_NOTES.length = noted;
  }
  return decodeCompressedRow(image, plan, exact);
}

/** Builds the generated reader of a plan (see the module comment), or null when the layout keeps the generic path. */
export function cdFastReaderFor(plan: RowPlan): CdFastReader | null {
  const out = plan.output;
  const K = plan.storedColumns;
  // Only whole numbers are ever written into the generated source (as indexes and identifiers): a
  // layout that was not validated on its way in keeps the generic path, which refuses it.
  if (!Number.isInteger(K) || K < 1 || K > CD_FAST_MAX_COLUMNS || plan.hasSparse) return null;
  if (new Set(out.map((cp) => cp.name)).size !== out.length) return null;
  for (const cp of out) {
    if (cp.kind === 'sparse') return null;
    if (cp.kind !== 'unstored' && (!Number.isInteger(cp.cdIndex) || cp.cdIndex < 0 || cp.cdIndex >= K)) return null;
  }
  const u = plan.uniquifier;
  if (u !== null && !Number.isInteger(u.cdIndex)) return null;
  const uIndex = u !== null && u.cdIndex >= 0 && u.cdIndex < K ? u.cdIndex : -1;

  const cdStart = K > 0x7f ? 3 : 2;
  const clusters = Math.floor((K - 1) / CD_CLUSTER_SIZE);
  const shortClusters = cdStart + ((K + 1) >> 1);
  const shortStart = shortClusters + clusters;
  // Columns whose value range the decoding part needs (output columns and the uniquifier).
  const wanted = new Set<number>();
  for (const cp of out) if (cp.kind !== 'unstored') wanted.add(cp.cdIndex);
  if (uIndex >= 0) wanted.add(uIndex);

  const fns: unknown[] = [];
  const fn = (f: unknown): string => {
    fns.push(f);
    return `F${fns.length - 1}`;
  };
  const src: string[] = [];
  src.push('const n = image.length;');
  src.push(`if (n < ${shortStart}) return undefined;`);
  src.push('const header = image[0];');
  src.push(`if ((header & ${0x01 | CD_RECORD_VERSIONING}) !== 1) return undefined;`);
  src.push('const typeCode = (header & 0x1c) >> 2;');
  src.push('if (TYPE_OK[typeCode] === 0) return undefined;');
  if (K > 0x7f) src.push(`if (image[1] !== ${0x80 | (K >> 8)} || image[2] !== ${K & 0xff}) return undefined;`);
  else src.push(`if (image[1] !== ${K}) return undefined;`);
  // CD nibbles, short-data ranges, long counts, cluster checks (parseCdRecordShared's loop, unrolled).
  src.push(`let pos = ${shortStart}, L = 0, x = 0, clusterStart = ${shortStart}, L0 = 0;`);
  for (let i = 0; i < K; i++) {
    if ((i & 1) === 0) src.push(`x = image[${cdStart + (i >> 1)}];`);
    src.push(`const cd${i} = ${(i & 1) === 0 ? 'x & 15' : 'x >> 4'};`);
    if (wanted.has(i)) src.push(`let s${i} = 0, e${i} = 0, cx${i} = 0;`);
    const keep = wanted.has(i) ? ` s${i} = pos; e${i} = pos + cd${i} - 1;` : '';
    src.push(`if (cd${i} >= 2) { if (cd${i} <= 9) {${keep} pos += cd${i} - 1; } else if (cd${i} === 10) L++; else if (cd${i} > 12) return undefined; }`);
    if ((i + 1) % CD_CLUSTER_SIZE === 0 && i + 1 < K) {
      const k = (i + 1) / CD_CLUSTER_SIZE - 1;
      src.push(`if (image[${shortClusters + k}] !== pos - clusterStart) return undefined;`);
      src.push(`clusterStart = pos; const L${k + 1} = L;`);
    }
  }
  src.push('if (pos > n) return undefined;');
  src.push('let recEnd = pos;');
  src.push(`if ((header & ${CD_RECORD_LONG_DATA}) !== 0) {`);
  src.push('  if (pos + 3 > n) return undefined;');
  src.push('  if ((image[pos + 1] | (image[pos + 2] << 8)) !== L) return undefined;');
  src.push('  const offsets = pos + 3;');
  src.push(`  const base = offsets + 2 * L + ${clusters};`);
  src.push('  if (base > n) return undefined;');
  for (let k = 0; k < clusters; k++) src.push(`  if (image[offsets + 2 * L + ${k}] !== L${k + 1} - L${k}) return undefined;`);
  src.push('  let prev = 0, k = 0, raw = 0, end = 0;');
  for (let i = 0; i < K; i++) {
    const keep = wanted.has(i) ? ` s${i} = base + prev; e${i} = base + end; cx${i} = raw & 0x8000;` : '';
    src.push(
      `  if (cd${i} === 10) { raw = image[offsets + 2 * k] | (image[offsets + 2 * k + 1] << 8); end = raw & 0x7fff;` +
        ` if (end < prev || base + end > n) return undefined;${keep} prev = end; k++; }`,
    );
  }
  src.push('  recEnd = base + prev;');
  src.push('} else if (L > 0) return undefined;');
  // bytes after the record's end in an exact image: the generic path's refusal
  src.push('if (exact && recEnd < n && n > 9) return undefined;');

  // Values in output order (cdColumnValue, per column).
  const keys: string[] = [];
  src.push('let s = 0, e = 0, w = 0, v = null;');
  out.forEach((cp, j) => {
    keys.push(`${literalKey(cp.name)}: c${j}`);
    if (cp.kind === 'unstored') {
      src.push(`const c${j} = null;`);
      return;
    }
    const i = cp.cdIndex;
    const c = cp.column;
    src.push(`let c${j} = null;`);
    if (c.type === 'bit') {
      src.push(`if (cd${i} === 11) c${j} = true; else if (cd${i} === 1) c${j} = false; else if (cd${i} !== 0) return undefined;`);
      return;
    }
    const dec = cdValueDecoder(c);
    const full = fixedReader(c);
    let read: string;
    if (dec === null) {
      // uniqueidentifier: stored unchanged, 16 bytes (the uncompressed reader); any other type has no CD decoder.
      if (c.type !== 'uniqueidentifier' || full === null) {
        src.push(`if (cd${i} !== 0) return undefined;`);
        return;
      }
      read = `if (e - s !== 16) return undefined; c${j} = ${fn(full.f)}(image, s);`;
    } else {
      const d = fn(dec);
      switch (c.type) {
        case 'tinyint':
          read = `c${j} = e - s === 1 ? image[s] : e === s ? 0 : ${d}(image, s, e);`;
          break;
        case 'smallint':
        case 'int': {
          // readFlippedBE32 for 1..2 (smallint) / 1..4 (int) bytes; longer values go to the decoder (its error).
          const parts = ['w === 0 ? 0', 'w === 1 ? image[s] - 128', 'w === 2 ? ((image[s] << 8) | image[s + 1]) - 32768'];
          if (c.type === 'int') {
            parts.push('w === 3 ? ((image[s] << 16) | (image[s + 1] << 8) | image[s + 2]) - 8388608');
            parts.push('w === 4 ? image[s] * 16777216 + ((image[s + 1] << 16) | (image[s + 2] << 8) | image[s + 3]) - 2147483648');
          }
          read = `w = e - s; c${j} = ${parts.join(' : ')} : ${d}(image, s, e);`;
          break;
        }
        case 'varchar':
        case 'text': {
          // decodeVarchar's lookup, done once: the column's code page decoder (1252 when unsupported).
          const cpd = decoderForCodePage(columnCodePage(c)) ?? (decoderForCodePage(1252) as CodePageDecoder);
          // decodeNoting: bytes its code page does not define named on ROW_TEXT_NOTES (decodeCharsNoting's warning)
          const dk = fn(cpd);
          read = cpd.definesEveryByte
            ? `c${j} = ${dk}.decode(image, s, e);`
            : `c${j} = ${dk}.decodeNoting(image, s, e); if ((${dk}.nul & ${NOTE_UNDEFINED}) !== 0) ${fn(ROW_TEXT_NOTES)}.push(${fn(undefinedBytesWarning)}(${fn(c.name)}, ${dk}, image, s, e));`;
          break;
        }
        case 'nvarchar':
          if (c.maxLength === -1) {
            read = `c${j} = ${d}(image, s, e);`;
            break;
          }
          // unicodeCompressed: an even byte count is plain UTF-16LE; SCSU, odd counts and too-long values go to the decoder.
          read = `w = e - s; c${j} = (w & 1) === 0 && (w >> 1) <= ${c.maxLength > 0 ? c.maxLength >> 1 : Number.MAX_SAFE_INTEGER} ? ${fn(decodeNvarchar)}(image, s, e) : ${d}(image, s, e);`;
          break;
        case 'date':
        case 'time':
        case 'datetime2':
          // sameAsUncompressed: the full-length uncompressed bytes; anything else (and out of range) through the decoder.
          read = full !== null ? `c${j} = e - s === ${full.n} && (v = ${fn(full.f)}(image, s)) !== null ? v : ${d}(image, s, e);` : `c${j} = ${d}(image, s, e);`;
          break;
        default:
          read = `c${j} = ${d}(image, s, e);`;
      }
    }
    // a text/ntext/image text pointer (16 bytes, text in row OFF): the generic path's off-row marker
    if (cp.isTextPointer) read = `if (e - s === 16) return undefined; ${read}`;
    src.push(
      `if (cd${i} !== 0) { if (cd${i} >= 11 || cx${i} !== 0) return undefined;` +
        ` if (cd${i} === 1) { s = 0; e = 0; } else { s = s${i}; e = e${i}; } ${read} }`,
    );
  });
  let uniq = '';
  if (u !== null) {
    if (uIndex >= 0) {
      src.push(
        `let uq = 0; if (cd${uIndex} >= 2 && cd${uIndex} <= 5) uq = ${fn(readFlippedBE32)}(image, s${uIndex}, e${uIndex} - s${uIndex});` +
          ` else if (cd${uIndex} >= 6 && cd${uIndex} <= 9) uq = ${fn(readFlippedBE)}(image, s${uIndex}, e${uIndex} - s${uIndex}).lo | 0;`,
      );
      uniq = ', uniquifier: uq';
    } else uniq = ', uniquifier: 0';
  }
  src.push(
    `return { values: { ${keys.join(', ')} }, warnings: [], recordType: TYPES[typeCode], ghost: GHOST[typeCode] === 1, format: 'cd', columnCount: ${K}${uniq} };`,
  );
  const typeOk = new Uint8Array(8);
  const ghost = new Uint8Array(8);
  for (let t = 0; t < 8; t++) {
    const rt = CD_RECORD_TYPES[t];
    typeOk[t] = rt === 'primary' || rt === 'ghost-data' || rt === 'forwarded' ? 1 : 0;
    ghost[t] = isCdGhostCode(t) ? 1 : 0;
  }
  // Each helper a constant of the enclosing scope (F0, F1, …), as fastReaderFor does.
  const consts = fns.map((_, k) => `const F${k} = F[${k}];`).join('\n');
  const make = new Function('F', 'TYPES', 'TYPE_OK', 'GHOST', `${consts}\nreturn function cdColumns(image, exact) {\n${src.join('\n')}\n};`) as (
    f: unknown[], types: readonly string[], ok: Uint8Array, g: Uint8Array,
  ) => CdFastReader;
  return make(fns, CD_RECORD_TYPES, typeOk, ghost);
}
