// The few Node declarations the client's .d.ts files use, so the type check runs without
// @types/node (not installable here). An application has the real @types/node instead.
declare namespace NodeJS {
  interface ProcessEnv { [key: string]: string | undefined }
  type Signals = 'SIGKILL' | 'SIGTERM' | 'SIGINT' | 'SIGHUP';
}
declare class Buffer extends Uint8Array {
  toString(encoding?: string): string;
}
declare module 'node:events' {
  export class EventEmitter {
    on(event: string | symbol, listener: (...args: any[]) => void): this;
    once(event: string | symbol, listener: (...args: any[]) => void): this;
    emit(event: string | symbol, ...args: any[]): boolean;
  }
}
