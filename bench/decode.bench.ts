/**
 * decodeRow throughput on a 1,000,000-row stream of a 12-column CRM contact row, FixedVar and then
 * its row-compressed (CD) variant:
 * int identity, nvarchar Chinese name, varchar GBK company (Chinese_PRC_CI_AS, code page 936),
 * varchar email, varchar phone, a NULL varchar in the middle, nvarchar city, datetime2(7),
 * decimal(18,2), bit, uniqueidentifier, int.
 * Rows are SYNTHETIC (test/support/synthetic-encoder.ts): 10,000 distinct rows repeated to 1M.
 * Prints rows/s, MB/s of row-image bytes, and peak RSS. Not a test: nothing passes or fails here.
 */
import { decodeRow } from '../src/reconstruct/decode-row.js';
import { buildLayout, encodeRow } from '../test/support/synthetic-encoder.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const DISTINCT = 10_000;

for (const compression of ['NONE', 'ROW'] as const) {
const layout = buildLayout('Contact', [
  { name: 'ContactId', type: 'int' },
  { name: 'Name', type: 'nvarchar', maxLength: 100, collation: 'Chinese_PRC_CI_AS' },
  { name: 'Company', type: 'varchar', maxLength: 100, collation: 'Chinese_PRC_CI_AS' },
  { name: 'Email', type: 'varchar', maxLength: 100 },
  { name: 'Phone', type: 'varchar', maxLength: 20 },
  { name: 'Fax', type: 'varchar', maxLength: 20 },
  { name: 'City', type: 'nvarchar', maxLength: 60, collation: 'Chinese_PRC_CI_AS' },
  { name: 'CreatedAt', type: 'datetime2', scale: 7 },
  { name: 'Balance', type: 'decimal', precision: 18, scale: 2 },
  { name: 'IsActive', type: 'bit' },
  { name: 'ContactGuid', type: 'uniqueidentifier' },
  { name: 'Score', type: 'int' },
], compression);

const surnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
const given = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇'];
const companies = ['北京华信科技有限公司', '上海东方贸易有限公司', '深圳市创新电子有限公司', '广州白云物流集团', '杭州西湖软件股份有限公司'];
const cities = ['北京', '上海', '深圳', '广州', '杭州', '成都'];

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0').toUpperCase();
}

const images: Uint8Array[] = [];
for (let i = 0; i < DISTINCT; i++) {
  const g = Array.from({ length: 16 }, (_, k) => hex2((i * 37 + k * 11) & 0xff)).join('');
  images.push(
    encodeRow(layout, {
      ContactId: i + 1,
      Name: surnames[i % surnames.length] + given[i % given.length],
      Company: companies[i % companies.length],
      Email: `user${i}@example.com`,
      Phone: `+86-10-${String(10000000 + i)}`,
      Fax: null,
      City: cities[i % cities.length],
      CreatedAt: `2026-0${1 + (i % 9)}-1${i % 10}T0${i % 10}:1${i % 6}:2${i % 10}.${String(1234567 + i).slice(0, 7)}`,
      Balance: `${(i * 7919) % 1000000}.${String(i % 100).padStart(2, '0')}`,
      IsActive: i % 3 !== 0,
      ContactGuid: `${g.slice(0, 8)}-${g.slice(8, 12)}-${g.slice(12, 16)}-${g.slice(16, 20)}-${g.slice(20)}`,
      Score: (i * 31) % 1000,
    }),
  );
}

// One contiguous stream, as a log reader hands rows over (Buffers read from the file): a big buffer plus offsets.
let total = 0;
for (let i = 0; i < ROWS; i++) total += images[i % DISTINCT].length;
const stream = Buffer.alloc(total);
const starts = new Int32Array(ROWS + 1);
let p = 0;
for (let i = 0; i < ROWS; i++) {
  starts[i] = p;
  stream.set(images[i % DISTINCT], p);
  p += images[i % DISTINCT].length;
}
starts[ROWS] = p;

// Sanity: the first row decodes to what was encoded.
const first = decodeRow(stream.subarray(starts[0], starts[1]), layout);
if (first.values.Company !== companies[0] || first.values.Fax !== null) throw new Error('bench row does not round-trip');

// Warm-up (JIT), then the measured run over the whole stream.
for (let i = 0; i < 50_000; i++) decodeRow(stream.subarray(starts[i % ROWS], starts[(i % ROWS) + 1]), layout);
let checksum = 0;
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
for (let i = 0; i < ROWS; i++) {
  const r = decodeRow(stream.subarray(starts[i], starts[i + 1]), layout);
  checksum += r.columnCount;
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
const cpuSecs = (cpu.user + cpu.system) / 1e6;
const rss = process.resourceUsage().maxRSS; // kilobytes on Linux
process.stdout.write(
  `decodeRow ${compression === 'ROW' ? 'row-compressed (CD)' : 'FixedVar'} 12-column CRM contact row (SYNTHETIC rows)\n` +
    `  rows:      ${ROWS.toLocaleString('en-US')} (${(total / ROWS).toFixed(1)} bytes/row avg)\n` +
    `  time:      ${secs.toFixed(3)} s\n` +
    `  rows/s:    ${Math.round(ROWS / secs).toLocaleString('en-US')} wall-clock, ${Math.round(ROWS / cpuSecs).toLocaleString('en-US')} per CPU-second (${cpuSecs.toFixed(3)} s CPU; the machine may be shared)\n` +
    `  MB/s:      ${(total / 1e6 / secs).toFixed(1)}\n` +
    `  peak RSS:  ${(rss / 1024).toFixed(1)} MiB\n` +
    `  checksum:  ${checksum}\n`,
);
}
