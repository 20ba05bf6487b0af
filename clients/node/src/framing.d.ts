/// <reference types="node" />

/** A frame the decoder could not read: a header without a usable length, or a body that is not UTF-8 JSON. */
export declare class ProtocolError extends Error {
  name: 'ProtocolError';
}

/** Encodes one message as an LSP frame; Content-Length is the body's UTF-8 byte length. */
export declare function encodeFrame(message: unknown): Buffer;

/** Parses a frame body (bytes) as strict UTF-8 JSON. Throws ProtocolError. */
export declare function parseBody(body: Uint8Array): unknown;

export interface FrameDecoderOptions {
  /** A header block longer than this is an error (default 8192). */
  maxHeaderBytes?: number;
  /** A longer body is dropped without being buffered and reported as an error (default: no limit). */
  maxBodyBytes?: number;
}

/** Incremental, byte-exact decoder of LSP frames. */
export declare class FrameDecoder {
  constructor(options?: FrameDecoderOptions);
  /** Bytes held that do not yet make a whole frame. */
  readonly bufferedBytes: number;
  /** One entry per frame the chunk completed: its body, or a ProtocolError for an unusable header. */
  push(chunk: Uint8Array): Array<Buffer | ProtocolError>;
}
