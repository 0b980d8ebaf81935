import { collationNameForId } from './collation-ids.js';

/**
 * The 5-byte TDS collation ([MS-TDS] 2.2.5.1.2 "Collation Rule Definition": LCID 20 bits,
 * fIgnoreCase, fIgnoreAccent, fIgnoreKana, fIgnoreWidth, fBinary, fBinary2, fUTF8, a reserved bit,
 * Version 4 bits, then SortId 8 bits; little-endian) → the collation it names, by way of the
 * collation id collation-ids.ts names (COLLATIONPROPERTY(name, 'CollationID')).
 *
 * Where rowback reads one: a backup set's SCIN record @216 (backup/header.ts), which RESTORE
 * HEADERONLY reports as Collation / SortOrder / UnicodeLocaleId / UnicodeComparisonStyle. On the
 * corpus it names the same collation as the boot page's dbi_collation in every full and
 * differential backup that holds one (Chinook 2025 Arabic_CI_AS, FinancialCrm 2019 Turkish_CI_AS,
 * pubs 2012 Modern_Spanish_CI_AS, StopAt 2008 R2 Latin1_General_CI_AS, StDb2Sql 2005,
 * RestoreTimeClean and db1 2008 R2 SQL_Latin1_General_CP1_CI_AS), and every log backup's equals its
 * database's (test/backup/header-collation.test.ts): a log backup alone says the database's default.
 *
 * How a TDS collation becomes an id: the flags are the id's bits 12–16 and 11 (fIgnoreCase bit 12,
 * fIgnoreAccent 13, fIgnoreKana 14, fIgnoreWidth 15, fBinary 16, fBinary2 11), Version its bits
 * 17–19, SortId its bits 24–31 (a SQL collation's sort order; 0 for a Windows collation), and the
 * LCID with the version names the family (bits 0–10, LCID_FAMILIES). Both the bit mapping and the
 * table were worked out from, and reproduce, every one of the 3,927 rows of SQL Server 2017's
 * sys.fn_helpcollations() with COLLATIONPROPERTY's CollationID, LCID and TDSCollation as published
 * in ycherkes/OrcaSql `Collations.cs` (the data collation-ids.ts is built from; used as data).
 *
 * What a TDS collation cannot say: the `_SC` form of a `_90` or `_100` collation and the `_VSS` form
 * of a Japanese 140 one (id bits 8–9; their TDS collations equal their plain forms'). They compare
 * supplementary characters differently; their varchar code page is the same. Such a name is given
 * plain with `variantUnknown`.
 */

/** (LCID | Version << 20) → the collation id's family bits (0–10) and version bits (17–19). */
const LCID_FAMILIES = new Map<number, number>([
  [0x000401, 0x00001], // Arabic
  [0x000404, 0x00003], // Chinese_Taiwan_Stroke
  [0x000405, 0x00004], // Czech
  [0x000406, 0x00005], // Danish_Norwegian
  [0x000408, 0x00007], // Greek
  [0x000409, 0x00008], // Latin1_General
  [0x00040a, 0x00009], // Traditional_Spanish
  [0x00040b, 0x0000a], // Finnish_Swedish
  [0x00040c, 0x0000b], // French
  [0x00040d, 0x0000c], // Hebrew
  [0x00040e, 0x0000d], // Hungarian
  [0x00040f, 0x0000e], // Icelandic
  [0x000411, 0x00010], // Japanese
  [0x000412, 0x00011], // Korean_Wansung
  [0x000415, 0x00013], // Polish
  [0x000418, 0x00014], // Romanian
  [0x000419, 0x00015], // Cyrillic_General
  [0x00041a, 0x00016], // Croatian
  [0x00041b, 0x00017], // Slovak
  [0x00041c, 0x00018], // Albanian
  [0x00041e, 0x00019], // Thai
  [0x00041f, 0x0001a], // Turkish
  [0x000422, 0x0001b], // Ukrainian
  [0x000424, 0x0001c], // Slovenian
  [0x000425, 0x0001d], // Estonian
  [0x000426, 0x0001e], // Latvian
  [0x000427, 0x0001f], // Lithuanian
  [0x00042a, 0x00020], // Vietnamese
  [0x000804, 0x00024], // Chinese_PRC
  [0x000c0a, 0x00028], // Modern_Spanish
  [0x010407, 0x00029], // German_PhoneBook
  [0x01040e, 0x0002a], // Hungarian_Technical
  [0x010411, 0x0002b], // Japanese_Unicode
  [0x010437, 0x0002d], // Georgian_Modern_Sort
  [0x020804, 0x0002e], // Chinese_PRC_Stroke
  [0x030404, 0x0002f], // Chinese_Taiwan_Bopomofo
  [0x100404, 0x20034], // Chinese_Taiwan_Stroke_90
  [0x100411, 0x20030], // Japanese_90
  [0x100412, 0x20040], // Korean_90
  [0x10042f, 0x2003a], // Macedonian_FYROM_90
  [0x100439, 0x20035], // Indic_General_90
  [0x10043f, 0x20037], // Kazakh_90
  [0x100443, 0x20038], // Uzbek_Latin_90
  [0x100444, 0x20039], // Tatar_90
  [0x10045a, 0x2003b], // Syriac_90
  [0x100465, 0x2003c], // Divehi_90
  [0x100804, 0x20031], // Chinese_PRC_90
  [0x100c04, 0x2003e], // Chinese_Hong_Kong_Stroke_90
  [0x120804, 0x20032], // Chinese_PRC_Stroke_90
  [0x130404, 0x20033], // Chinese_Taiwan_Bopomofo_90
  [0x200401, 0x40001], // Arabic_100
  [0x200404, 0x40041], // Chinese_Traditional_Stroke_Count_100
  [0x200405, 0x40004], // Czech_100
  [0x200406, 0x40047], // Danish_Greenlandic_100
  [0x200408, 0x40007], // Greek_100
  [0x200409, 0x40008], // Latin1_General_100
  [0x20040a, 0x40009], // Traditional_Spanish_100
  [0x20040b, 0x4000a], // Finnish_Swedish_100
  [0x20040c, 0x4000b], // French_100
  [0x20040d, 0x4000c], // Hebrew_100
  [0x20040e, 0x4000d], // Hungarian_100
  [0x20040f, 0x4000e], // Icelandic_100
  [0x200411, 0x40048], // Japanese_XJIS_100
  [0x200412, 0x40040], // Korean_100
  [0x200414, 0x4004a], // Norwegian_100
  [0x200415, 0x40013], // Polish_100
  [0x200417, 0x4004b], // Romansh_100
  [0x200418, 0x40014], // Romanian_100
  [0x200419, 0x40015], // Cyrillic_General_100
  [0x20041a, 0x40016], // Croatian_100
  [0x20041b, 0x40017], // Slovak_100
  [0x20041c, 0x40018], // Albanian_100
  [0x20041e, 0x40019], // Thai_100
  [0x20041f, 0x4001a], // Turkish_100
  [0x200420, 0x40050], // Urdu_100
  [0x200422, 0x4001b], // Ukrainian_100
  [0x200424, 0x4001c], // Slovenian_100
  [0x200425, 0x4001d], // Estonian_100
  [0x200426, 0x4001e], // Latvian_100
  [0x200427, 0x4001f], // Lithuanian_100
  [0x200429, 0x40051], // Persian_100
  [0x20042a, 0x40020], // Vietnamese_100
  [0x20042c, 0x40063], // Azeri_Latin_100
  [0x20042e, 0x40053], // Upper_Sorbian_100
  [0x20042f, 0x4003a], // Macedonian_FYROM_100
  [0x200439, 0x40035], // Indic_General_100
  [0x20043a, 0x40055], // Maltese_100
  [0x20043b, 0x40056], // Sami_Norway_100
  [0x20043f, 0x40037], // Kazakh_100
  [0x200442, 0x40058], // Turkmen_100
  [0x200443, 0x40038], // Uzbek_Latin_100
  [0x200444, 0x40039], // Tatar_100
  [0x200445, 0x40059], // Bengali_100
  [0x20044d, 0x4005a], // Assamese_100
  [0x200451, 0x4005c], // Tibetan_100
  [0x200452, 0x4005d], // Welsh_100
  [0x200453, 0x4005e], // Khmer_100
  [0x200454, 0x4005f], // Lao_100
  [0x20045a, 0x4003b], // Syriac_100
  [0x200461, 0x40062], // Nepali_100
  [0x200462, 0x40060], // Frisian_100
  [0x200463, 0x4005b], // Pashto_100
  [0x200465, 0x4003c], // Divehi_100
  [0x20046d, 0x40054], // Bashkir_100
  [0x20047a, 0x40052], // Mapudungan_100
  [0x20047c, 0x4003f], // Mohawk_100
  [0x20047e, 0x40026], // Breton_100
  [0x200480, 0x40025], // Uighur_100
  [0x200481, 0x40012], // Maori_100
  [0x200483, 0x4000f], // Corsican_100
  [0x200485, 0x40006], // Yakut_100
  [0x20048c, 0x40002], // Dari_100
  [0x200804, 0x40043], // Chinese_Simplified_Pinyin_100
  [0x20081a, 0x4004c], // Serbian_Latin_100
  [0x20082c, 0x40064], // Azeri_Cyrillic_100
  [0x20083b, 0x40057], // Sami_Sweden_Finland_100
  [0x20085f, 0x40061], // Tamazight_100
  [0x200c0a, 0x40028], // Modern_Spanish_100
  [0x200c1a, 0x4004d], // Serbian_Cyrillic_100
  [0x201404, 0x40045], // Chinese_Traditional_Pinyin_100
  [0x20141a, 0x4004e], // Bosnian_Latin_100
  [0x20201a, 0x4004f], // Bosnian_Cyrillic_100
  [0x210407, 0x40029], // German_PhoneBook_100
  [0x21040e, 0x4002a], // Hungarian_Technical_100
  [0x210437, 0x4002d], // Georgian_Modern_Sort_100
  [0x220804, 0x40044], // Chinese_Simplified_Stroke_Order_100
  [0x221404, 0x40046], // Chinese_Traditional_Stroke_Order_100
  [0x230404, 0x40042], // Chinese_Traditional_Bopomofo_100
  [0x240411, 0x40049], // Japanese_Bushu_Kakusu_100
  [0x300411, 0x60048], // Japanese_XJIS_140
  [0x340411, 0x60049], // Japanese_Bushu_Kakusu_140
]);

/** What tdsCollation gives: the collation, its id as collation-ids.ts reads it, and whether an `_SC`/`_VSS` form is possible. */
export interface TdsCollation {
  /** The collation's name (collation-ids.ts collationNameForId), in its plain form where `variantUnknown`. */
  name: string;
  /** The collation id it stands for (COLLATIONPROPERTY(name, 'CollationID')), without the _SC/_VSS bits. */
  id: number;
  /** The collation may be the `_SC` (`_90`, `_100`) or `_VSS` (Japanese 140) form of `name`: the TDS collation does not tell them apart. */
  variantUnknown: boolean;
  /**
   * Set by a reader that cannot rule out the `_UTF8` form of `name` (backup/header.ts: a SQL Server
   * 2019+ backup header, whose fUTF8 bit is not seen on real bytes): varchar may be UTF-8, not
   * `name`'s code page. Absent from what tdsCollation gives.
   */
  utf8Unknown?: true;
}

/**
 * The collation the 5 bytes at `at` of `b` name ([MS-TDS] 2.2.5.1.2, layout above), or null when
 * they name none rowback knows: fUTF8 or the reserved bit set (a _UTF8 collation of SQL Server
 * 2019 on: not in the list the table was made from), an LCID and version with no family in the
 * table, an id collation-ids.ts has no name for, or all five bytes zero (no collation). Throws
 * nothing; `at + 5` past the end gives null.
 */
export function tdsCollation(b: Uint8Array, at: number): TdsCollation | null {
  if (at < 0 || at + 5 > b.length) return null;
  const info = (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  const sortId = b[at + 4]!;
  if (info === 0 && sortId === 0) return null;
  // fUTF8 (bit 26) and the reserved bit (27): no collation of the table's source has them
  if (info & 0x0c000000) return null;
  const lcid = info & 0xfffff;
  const version = info >>> 28;
  const family = LCID_FAMILIES.get(lcid | (version << 20));
  if (family === undefined) return null;
  let id = family;
  if (info & (1 << 20)) id |= 0x1000; // fIgnoreCase: _CI
  if (info & (1 << 21)) id |= 0x2000; // fIgnoreAccent: _AI
  if (info & (1 << 22)) id |= 0x4000; // fIgnoreKana: no _KS
  if (info & (1 << 23)) id |= 0x8000; // fIgnoreWidth: no _WS
  if (info & (1 << 24)) id |= 0x10000; // fBinary: _BIN
  if (info & (1 << 25)) id |= 0x800; // fBinary2: _BIN2
  id = (id | (sortId << 24)) >>> 0;
  const name = collationNameForId(id);
  if (name === null) return null;
  // _SC exists beside the _90 and _100 collations (version 1, 2) but the binary ones; _VSS beside the Japanese 140 ones (3)
  const variantUnknown = sortId === 0 && !(info & 0x03000000) && version >= 1;
  return { name, id, variantUnknown };
}
