// LSP base-protocol framing: `Content-Length: N\r\n\r\n` then N bytes of UTF-8 JSON.
//
// The decoder works on bytes, never on strings per chunk: a pipe may split a frame anywhere,
// including inside a multi-byte UTF-8 character, and Content-Length counts bytes. Chunks are
// kept as a list and joined only once a whole header or body is there, so a large frame that
// arrives in many small chunks costs O(n), not O(n²).

import { recordWireOrder } from './wire-order.js';

const CR = 0x0d;
const LF = 0x0a;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A frame the decoder could not read: a header without a usable length, or a body that is not UTF-8 JSON. */
export class ProtocolError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'ProtocolError';
  }
}

/** Encodes one message as a frame. Content-Length is the UTF-8 byte length of the body. */
export function encodeFrame(message) {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

/**
 * Parses a frame body (bytes) as strict UTF-8 JSON, remembering the wire order of objects whose
 * integer-like keys JavaScript reorders (see wire-order.js). Throws ProtocolError.
 */
export function parseBody(body) {
  let text;
  try {
    text = utf8.decode(body);
  } catch (cause) {
    throw new ProtocolError(`frame body of ${body.length} bytes is not valid UTF-8`, { cause });
  }
  let value;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ProtocolError(`frame body is not JSON: ${text.slice(0, 80)}`, { cause });
  }
  recordWireOrder(text, value);
  return value;
}

/**
 * Incremental frame decoder. `push(chunk)` returns, in order, one entry per frame completed by
 * that chunk: the body as a Buffer, or a ProtocolError for a frame whose header could not be
 * used (the decoder then skips that header and goes on with the bytes after it).
 */
export class FrameDecoder {
  #chunks = [];
  #buffered = 0;
  #bodyLength = -1; // -1 while reading a header
  #skipping = 0; // bytes of an oversized body still to drop
  #resyncing = false; // after an overlong header: dropping bytes up to the next header end, reported once
  #maxHeaderBytes;
  #maxBodyBytes;

  /**
   * @param {{maxHeaderBytes?: number, maxBodyBytes?: number}} [options] A header block longer than
   *   maxHeaderBytes (default 8 KiB) is an error; a body longer than maxBodyBytes (default no limit)
   *   is dropped without being buffered and reported as an error.
   */
  constructor({ maxHeaderBytes = 8192, maxBodyBytes = Infinity } = {}) {
    this.#maxHeaderBytes = maxHeaderBytes;
    this.#maxBodyBytes = maxBodyBytes;
  }

  /** Bytes held that do not yet make a whole frame. */
  get bufferedBytes() {
    return this.#buffered;
  }

  /** @param {Uint8Array} chunk @returns {Array<Buffer | ProtocolError>} */
  push(chunk) {
    const out = [];
    if (chunk.length > 0) {
      this.#chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      this.#buffered += chunk.length;
    }
    for (;;) {
      if (this.#skipping > 0) {
        const n = Math.min(this.#skipping, this.#buffered);
        this.#take(n);
        this.#skipping -= n;
        if (this.#skipping > 0) break;
      }
      if (this.#bodyLength >= 0) {
        if (this.#buffered < this.#bodyLength) break;
        out.push(this.#take(this.#bodyLength));
        this.#bodyLength = -1;
        continue;
      }
      if (!this.#readHeader(out)) break;
    }
    return out;
  }

  // Reads one header block if it is all there. Returns false when more bytes are needed.
  #readHeader(out) {
    if (this.#buffered === 0) return false;
    const window = this.#peek(Math.min(this.#buffered, this.#maxHeaderBytes + 4));
    const end = headerEnd(window);
    if (end === null) {
      if (window.length >= this.#maxHeaderBytes + 4) {
        this.#take(window.length - 3); // keep a possible partial terminator
        if (!this.#resyncing) out.push(new ProtocolError(`no end of header within ${this.#maxHeaderBytes} bytes`));
        this.#resyncing = true;
        return true;
      }
      return false;
    }
    const header = this.#take(end.bodyStart).subarray(0, end.headerLength).toString('latin1');
    let length = null;
    for (const line of header.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon < 0 || line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
      const value = line.slice(colon + 1).trim();
      length = /^[0-9]{1,15}$/.test(value) ? Number(value) : NaN;
    }
    const resyncing = this.#resyncing;
    this.#resyncing = false;
    if (length === null && resyncing) {
      // the tail of the overlong header already reported
    } else if (length === null || Number.isNaN(length)) {
      const what = length === null ? 'has no Content-Length' : 'has a Content-Length that is not a number';
      out.push(new ProtocolError(`frame header ${what}: ${JSON.stringify(header.slice(0, 120))}`));
    } else if (length > this.#maxBodyBytes) {
      this.#skipping = length;
      out.push(new ProtocolError(`frame of ${length} bytes exceeds the limit of ${this.#maxBodyBytes}; skipped`));
    } else {
      this.#bodyLength = length;
    }
    return true;
  }

  // The first n buffered bytes as one Buffer, joining the leading chunks in place.
  #peek(n) {
    if (this.#chunks[0].length < n) {
      let count = 0;
      let size = 0;
      while (size < n) size += this.#chunks[count++].length;
      this.#chunks.splice(0, count, Buffer.concat(this.#chunks.slice(0, count), size));
    }
    return this.#chunks[0].subarray(0, n);
  }

  // Removes and returns the first n buffered bytes.
  #take(n) {
    const taken = n === 0 ? Buffer.alloc(0) : this.#peek(n);
    const first = this.#chunks[0];
    if (first !== undefined) {
      if (first.length === n) this.#chunks.shift();
      else if (n > 0) this.#chunks[0] = first.subarray(n);
    }
    this.#buffered -= n;
    return taken;
  }
}

// Finds the empty line that ends a header block (`\r\n\r\n`, or a bare `\n\n`).
function headerEnd(bytes) {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== LF) continue;
    if (bytes[i + 1] === LF) return { headerLength: i, bodyStart: i + 2 };
    if (bytes[i + 1] === CR && bytes[i + 2] === LF) return { headerLength: i, bodyStart: i + 3 };
    if (i + 2 >= bytes.length) return null;
  }
  return null;
}
