/**
 * A tiny little-endian cursor over a byte array (after pg-protocol's BufferReader).
 * SQL Server stores every on-disk integer little-endian, except row-compressed values.
 * Bounds are the caller's job: use `remaining` before reading, and raise the family's
 * typed error (DecodeError/FormatError) with the offset when bytes are missing.
 */
export class ByteReader {
  readonly view: DataView;
  offset: number;

  constructor(readonly bytes: Uint8Array, offset = 0, readonly end = bytes.length) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  u8(): number {
    return this.bytes[this.offset++];
  }
  u16(): number {
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }
  i16(): number {
    const v = this.view.getInt16(this.offset, true);
    this.offset += 2;
    return v;
  }
  u32(): number {
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }
  i32(): number {
    const v = this.view.getInt32(this.offset, true);
    this.offset += 4;
    return v;
  }
  u64(): bigint {
    const v = this.view.getBigUint64(this.offset, true);
    this.offset += 8;
    return v;
  }
  i64(): bigint {
    const v = this.view.getBigInt64(this.offset, true);
    this.offset += 8;
    return v;
  }
  bytesView(n: number): Uint8Array {
    const v = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
  skip(n: number): void {
    this.offset += n;
  }
}
