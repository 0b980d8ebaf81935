/**
 * A SQL Graph table (`CREATE TABLE … AS NODE | AS EDGE`) gets an unreadable layout naming why: SQL
 * Server stores internal columns in its rows that the script's column list does not show (MS Learn
 * "SQL Graph architecture": a node table's internal graph_id bigint; an edge table's graph_id and
 * the from_obj_id, from_id, to_obj_id, to_id behind $from_id/$to_id), so the fixed slots the script
 * gives are not the record's. Before, `AS NODE` was skipped and the user's columns were placed as if
 * they were the only ones: `rowback decode` printed {"id":1,…} from offsets that leave graph_id out.
 * Record SYNTHETIC.
 */
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import { decodeErrorOf } from '../../support/decode-error.js';

const image = Buffer.from('10000c00' + '01000000' + '02000000' + '0200' + '00', 'hex');

describe('graph node and edge tables in a --ddl script (SYNTHETIC record)', () => {
  const [person, likes, plain] = layoutsFromDdl(
    'CREATE TABLE dbo.Person (id int PRIMARY KEY, age int) AS NODE;\n' +
      'CREATE TABLE dbo.Likes (rating int, since int)\nAS EDGE;\n' +
      'CREATE TABLE dbo.Plain (id int, age int);',
  );

  it('AS NODE: refused, naming graph_id and the line', () => {
    expect(person.unreadable).toMatch(/^line 1: it is a graph node table \(AS NODE\): .*\(graph_id\)/);
    const e = decodeErrorOf(() => decodeRow(image, person));
    expect(e.code).toBe('DECODE_NO_COLUMNS');
  });

  it('AS EDGE: refused, naming its internal columns', () => {
    expect(likes.unreadable).toMatch(/^line 3: it is a graph edge table \(AS EDGE\): .*from_obj_id, from_id, to_obj_id, to_id/);
    expect(decodeErrorOf(() => decodeRow(image, likes)).code).toBe('DECODE_NO_COLUMNS');
  });

  it('an ordinary table of the same script decodes as before', () => {
    expect(plain.unreadable).toBeUndefined();
    expect(decodeRow(image, plain).values).toEqual({ id: 1, age: 2 });
  });
});
