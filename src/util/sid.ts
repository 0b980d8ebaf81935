/**
 * Security identifiers (the `Transaction SID` of LOP_BEGIN_XACT).
 *
 * A Windows SID (Microsoft, "SID structure", [MS-DTYP] §2.4.2.2) is: u8 Revision (always 1),
 * u8 SubAuthorityCount (≤ 15), a 48-bit IdentifierAuthority stored big-endian in 6 bytes, then
 * SubAuthorityCount u32 sub-authorities stored little-endian. Its text form (§2.4.2.1) is
 * `S-1-<authority>-<sub1>-…`. SQL Server logins' SIDs are 16 random bytes (a GUID) and `sa`'s is
 * 0x01: those are not Windows SIDs and have no text form.
 */

/**
 * `S-1-5-21-…` for bytes that are a Windows SID, else null (SQL logins, `sa`, anything else).
 * A SID is accepted only when revision is 1, the length is exactly 8 + 4 × SubAuthorityCount, and
 * the authority fits one byte (its five upper bytes zero): every well-known authority (0–5, 9,
 * 15, 16, 18) does, and a random 16-byte SQL login SID passes all three only with probability
 * 2⁻⁵⁶, so a SQL login is never shown as a made-up Windows account.
 */
export function sidToText(sid: Uint8Array | null | undefined): string | null {
  if (!sid || sid.length < 8) return null;
  const count = sid[1];
  if (sid[0] !== 1 || count > 15 || sid.length !== 8 + 4 * count) return null;
  if (sid[2] | sid[3] | sid[4] | sid[5] | sid[6]) return null;
  const parts = ['S', '1', String(sid[7])];
  const v = new DataView(sid.buffer, sid.byteOffset, sid.byteLength);
  for (let i = 0; i < count; i++) parts.push(String(v.getUint32(8 + 4 * i, true)));
  return parts.join('-');
}

/**
 * Bytes of a SID in Windows text form (`S-1-5-21-…`, any case of the `S`), the inverse of
 * `sidToText` for the SIDs it prints: revision 1, an authority below 2⁴⁸, at most 15
 * sub-authorities each below 2³². Anything else is null.
 */
export function sidFromText(text: string): Uint8Array | null {
  const m = /^[sS]-1-(\d{1,15})((?:-\d{1,10}){0,15})$/.exec(text.trim());
  if (!m) return null;
  const authority = Number(m[1]);
  const subs = m[2] ? m[2].slice(1).split('-').map(Number) : [];
  if (authority >= 2 ** 48 || subs.some((s) => s >= 2 ** 32)) return null;
  const out = new Uint8Array(8 + 4 * subs.length);
  out[0] = 1;
  out[1] = subs.length;
  for (let i = 0; i < 6; i++) out[2 + i] = Math.floor(authority / 2 ** (8 * (5 - i))) % 256;
  const v = new DataView(out.buffer);
  subs.forEach((s, i) => v.setUint32(8 + 4 * i, s, true));
  return out;
}

/**
 * A SID as a reviewer types it into a filter, in the forms a staged row keeps it: `hex` as the
 * row's `sid` holds it (`0x` + upper-case hex) and `text` as its `sidText` (`S-1-…`, or null when
 * the bytes are no Windows SID: a SQL login's, `sa`'s 0x01). Takes hex in any case with or
 * without `0x` (1–85 bytes: SQL Server's SID is varbinary(85)) or the `S-1-…` text form. Returns
 * null for anything else (the caller names the field it came from).
 */
export function sidFilterForms(input: string): { hex: string; text: string | null } | null {
  const s = input.trim();
  let bytes: Uint8Array | null;
  if (/^[sS]-/.test(s)) bytes = sidFromText(s);
  else {
    const h = s.replace(/^0[xX]/, '');
    bytes = /^(?:[0-9a-fA-F]{2}){1,85}$/.test(h) ? Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16))) : null;
  }
  if (!bytes) return null;
  return { hex: '0x' + Buffer.from(bytes).toString('hex').toUpperCase(), text: sidToText(bytes) };
}
