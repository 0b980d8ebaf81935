/**
 * A CREATE TABLE script's `ENCRYPTED WITH (…)` column (Always Encrypted): its rows hold the client's
 * ciphertext (AEAD_AES_256_CBC_HMAC_SHA_256: version byte 0x01, 32-byte MAC, 16-byte IV, AES-CBC
 * blocks; Microsoft Learn "Always Encrypted cryptography"), never a value of the declared type, and the
 * script does not show where SQL Server keeps it in the record. The DDL parser skipped the clause, so
 * `photo varbinary(200) ENCRYPTED WITH (…)` printed the ciphertext as the photo's value (`0x01…`, no
 * warning), which a re-insert would write back as plaintext bytes; a varchar printed mojibake, a
 * fixed-length type another column's bytes (breaker, wt-B). The table's layout is now unreadable:
 * every row refused with DECODE_NO_COLUMNS naming the column. `MASKED WITH` (dynamic data masking,
 * applied when a query reads the column) changes nothing stored and stays readable.
 *
 * SYNTHETIC: no encrypted column is in the corpus; the row image is built by the test encoder with a
 * value shaped like the ciphertext (65 bytes, version byte 0x01).
 */
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors.js';
import { decodeRow } from '../../../src/reconstruct/decode-row.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';
import { encodeFixedVar } from '../../support/synthetic-encoder.js';

const ENC = "ENCRYPTED WITH (COLUMN_ENCRYPTION_KEY = CEK1, ENCRYPTION_TYPE = RANDOMIZED, ALGORITHM = 'AEAD_AES_256_CBC_HMAC_SHA_256')";
/** 65 bytes, as AEAD_AES_256_CBC_HMAC_SHA_256 gives for up to 15 plaintext bytes: 0x01, MAC, IV, one AES block. */
const CIPHERTEXT = '0x01' + 'A5'.repeat(64);

function refusal(row: () => unknown): DecodeError {
  try {
    const r = row();
    throw new Error(`decoded: ${JSON.stringify(r)}`);
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return e as DecodeError;
  }
}

describe('Always Encrypted columns in a --ddl script (SYNTHETIC row images)', () => {
  it('CREATE TABLE … photo varbinary(200) ENCRYPTED WITH (…): the layout is unreadable, its rows refused naming the column, not the ciphertext printed as the photo', () => {
    const [t] = layoutsFromDdl(`CREATE TABLE dbo.People (id int NOT NULL, photo varbinary(200) ${ENC} NULL)`);
    expect(t!.unreadable).toMatch(/column photo is Always Encrypted \(ENCRYPTED WITH, line 1\): the rows hold the client's ciphertext/);
    // the same physical shape without the clause, to build a row image holding the ciphertext where the script says photo is
    const [plain] = layoutsFromDdl('CREATE TABLE dbo.People (id int NOT NULL, photo varbinary(200) NULL)');
    const image = encodeFixedVar(plain!, { id: 7, photo: CIPHERTEXT });
    expect(decodeRow(image, plain!).values).toEqual({ id: 7, photo: CIPHERTEXT }); // what the script's layout printed
    const e = refusal(() => decodeRow(image, t!));
    expect(e.code).toBe('DECODE_NO_COLUMNS');
    expect(e.message).toMatch(/photo is Always Encrypted/);
  });

  it('a varchar, and a column added by ALTER TABLE … ADD … ENCRYPTED WITH: refused the same', () => {
    const [a] = layoutsFromDdl(`CREATE TABLE dbo.P (id int, email varchar(100) COLLATE Latin1_General_BIN2 ${ENC} NULL, city varchar(20) NULL)`);
    expect(a!.unreadable).toMatch(/column email is Always Encrypted/);
    const [b] = layoutsFromDdl(`CREATE TABLE dbo.P (id int, city varchar(20) NULL);\nALTER TABLE dbo.P ADD ssn char(11) COLLATE Latin1_General_BIN2 ${ENC} NULL;`);
    expect(b!.unreadable).toMatch(/column ssn is Always Encrypted \(ENCRYPTED WITH, line 2\)/);
  });

  it('MASKED WITH (dynamic data masking) stores the value itself: the layout stays readable', () => {
    const [t] = layoutsFromDdl("CREATE TABLE dbo.P (id int, email varchar(100) MASKED WITH (FUNCTION = 'email()') NULL)");
    expect(t!.unreadable).toBeUndefined();
    expect(decodeRow(encodeFixedVar(t!, { id: 1, email: 'a@b.c' }), t!).values).toEqual({ id: 1, email: 'a@b.c' });
  });
});
