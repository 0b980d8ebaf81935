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
