// Member order as the server sent it.
//
// JavaScript objects list integer-like keys first, in ascending order, whatever order they
// were created in (ECMA-262 OrdinaryOwnPropertyKeys). Radar's group keys can be integer-like
// (AS numbers: `55836`), and Radar sends groups largest first, so after `JSON.parse`
// `Object.keys(series)` gives `7018, 7922, 55836` where the wire said `55836, 7922, 7018`.
//
// `parseBody` (framing.js) calls `recordWireOrder` after `JSON.parse`: only when some object
// of the message has an integer-like key among others, the text is scanned once more (a
// tokenizer that builds nothing) and each object whose wire order differs from its key order
// is remembered in a WeakMap. `wireKeys` then gives any decoded object's keys as sent.

const order = new WeakMap(); // object → its keys in wire order, when that differs from Object.keys
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;
const SPACE = /[ \t\r\n]*/y;
const STRING = /"(?:[^"\\]+|\\.)*"/y;
const SCALAR = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/**
 * The keys of `object` in the order the server sent them (for objects the client decoded),
 * else `Object.keys(object)`.
 * @param {object} object
 * @returns {string[]}
 */
export function wireKeys(object) {
  return order.get(object) ?? Object.keys(object);
}

/**
 * The series of a Radar result as `[name, series]` pairs in wire order, without `meta`.
 * @param {object} result a Radar result (not CSV)
 */
export function seriesOf(result) {
  return wireKeys(result)
    .filter((name) => name !== 'meta' && isObject(result[name]))
    .map((name) => [name, result[name]]);
}

/**
 * The groups of one series as `[group, values]` pairs in wire order (Radar's: largest first,
 * `other` last), without `timestamps`.
 * @param {object} series one series of a Radar result
 */
export function groupsOf(series) {
  return wireKeys(series)
    .filter((key) => key !== 'timestamps' && Array.isArray(series[key]))
    .map((key) => [key, series[key]]);
}

/**
 * Remembers the wire order of every object of `value` (parsed from `text`) whose key order
 * differs from it. Cheap when no object has an integer-like key among others: then nothing is scanned.
 */
export function recordWireOrder(text, value) {
  if (!needsOrder(value)) return;
  try {
    new Scanner(text).value(value);
  } catch {
    // Too deep to walk (the stack) or not the text of `value`: keys stay in Object.keys order.
  }
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function needsOrder(value) {
  const stack = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === null || typeof item !== 'object') continue;
    if (Array.isArray(item)) {
      for (const element of item) if (element !== null && typeof element === 'object') stack.push(element);
      continue;
    }
    const keys = Object.keys(item);
    if (keys.length > 1 && ARRAY_INDEX.test(keys[0])) return true;
    for (const key of keys) {
      const member = item[key];
      if (member !== null && typeof member === 'object') stack.push(member);
    }
  }
  return false;
}

// Walks text that JSON.parse has accepted, beside the value it made.
class Scanner {
  #text;
  #at = 0;

  constructor(text) {
    this.#text = text;
  }

  value(value) {
    this.#space();
    const c = this.#text.charCodeAt(this.#at);
    if (c === 0x7b) this.#object(value);
    else if (c === 0x5b) this.#array(value);
    else this.#match(c === 0x22 ? STRING : SCALAR);
  }

  #object(object) {
    this.#at++; // {
    const keys = new Set();
    this.#space();
    if (this.#text.charCodeAt(this.#at) === 0x7d) {
      this.#at++;
      return;
    }
    for (;;) {
      this.#space();
      const start = this.#at;
      this.#match(STRING);
      const key = JSON.parse(this.#text.slice(start, this.#at));
      keys.add(key);
      this.#space();
      this.#at++; // :
      this.value(isObject(object) ? object[key] : undefined);
      this.#space();
      if (this.#text.charCodeAt(this.#at++) === 0x7d) break; // } (else ,)
    }
    if (isObject(object)) {
      const own = Object.keys(object);
      const sent = [...keys];
      if (own.length === sent.length && own.some((key, index) => key !== sent[index])) order.set(object, sent);
    }
  }

  #array(array) {
    this.#at++; // [
    this.#space();
    if (this.#text.charCodeAt(this.#at) === 0x5d) {
      this.#at++;
      return;
    }
    for (let index = 0; ; index++) {
      this.value(Array.isArray(array) ? array[index] : undefined);
      this.#space();
      if (this.#text.charCodeAt(this.#at++) === 0x5d) break; // ] (else ,)
    }
  }

  #space() {
    SPACE.lastIndex = this.#at;
    SPACE.test(this.#text);
    this.#at = SPACE.lastIndex;
  }

  #match(pattern) {
    pattern.lastIndex = this.#at;
    if (!pattern.test(this.#text)) throw new Error(`wire-order scan lost its place at offset ${this.#at}`);
    this.#at = pattern.lastIndex;
  }
}
