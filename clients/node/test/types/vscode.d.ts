// The part of VS Code's extension API (the `vscode` module, @types/vscode) that the README's
// VS Code recipe uses, declared as VS Code documents it, so test/readme.test.js can type-check
// the recipe without @types/vscode (not installable here: no npm registry).
declare module 'vscode' {
  export type Thenable<T> = PromiseLike<T>;
  export interface Disposable { dispose(): any }
  export interface Event<T> { (listener: (e: T) => any, thisArgs?: any, disposables?: Disposable[]): Disposable }
  export interface CancellationToken {
    isCancellationRequested: boolean;
    onCancellationRequested: Event<any>;
  }
  export interface Progress<T> { report(value: T): void }
  export enum ProgressLocation { SourceControl = 1, Window = 10, Notification = 15 }
  export interface ProgressOptions { location: ProgressLocation; title?: string; cancellable?: boolean }
  export interface OutputChannel extends Disposable {
    readonly name: string;
    append(value: string): void;
    appendLine(value: string): void;
  }
  export interface SecretStorageChangeEvent { readonly key: string }
  export interface SecretStorage {
    get(key: string): Thenable<string | undefined>;
    store(key: string, value: string): Thenable<void>;
    onDidChange: Event<SecretStorageChangeEvent>;
  }
  export interface ExtensionContext {
    readonly subscriptions: { dispose(): any }[];
    readonly secrets: SecretStorage;
  }
  export interface WorkspaceConfiguration {
    get<T>(section: string): T | undefined;
    get<T>(section: string, defaultValue: T): T;
  }
  export interface InputBoxOptions { prompt?: string; password?: boolean }
  export namespace window {
    export function createOutputChannel(name: string): OutputChannel;
    export function withProgress<R>(
      options: ProgressOptions,
      task: (progress: Progress<{ message?: string; increment?: number }>, token: CancellationToken) => Thenable<R>,
    ): Thenable<R>;
    export function showInputBox(options?: InputBoxOptions): Thenable<string | undefined>;
  }
  export namespace commands {
    export function registerCommand(command: string, callback: (...args: any[]) => any): Disposable;
  }
  export namespace workspace {
    export function getConfiguration(section?: string): WorkspaceConfiguration;
  }
}
