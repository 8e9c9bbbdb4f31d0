/**
 * The household is the dwelling: postcode + house number + letter + addition, normalised.
 * Its pseudonymous reference is an HMAC-SHA-256 of that normalised address under a secret of
 * the deployment, so the address itself is never a key, a log field or a metric dimension.
 */
import { createHash, hash } from 'node:crypto';

export interface ContractAddress {
  postcode: string;
  houseNumber: number;
  houseLetter?: string;
  houseNumberAddition?: string;
}

export interface NormalisedAddress {
  /** `1234AB` */
  postcode: string;
  houseNumber: number;
  /** Upper-case, when present. */
  houseLetter?: string;
  /** Upper-case, when present. */
  houseNumberAddition?: string;
}

export function normalisePostcode(postcode: string): string {
  return postcode.replace(/\s/g, '').toUpperCase();
}

/**
 * One dwelling, one spelling (contract v1.1, "One dwelling, one household"): partners' systems
 * put the house letter in either field, and pad numeric additions, so before keying a lone
 * letter given as addition becomes the house letter and a numeric addition loses its leading
 * zeros; letter and addition are upper case.
 */
export function normaliseAddress(address: ContractAddress): NormalisedAddress {
  const normalised: NormalisedAddress = { postcode: normalisePostcode(address.postcode), houseNumber: address.houseNumber };
  let letter = address.houseLetter?.toUpperCase();
  let addition = address.houseNumberAddition?.toUpperCase();
  if (!letter && addition && /^[A-Z]$/.test(addition)) {
    letter = addition;
    addition = undefined;
  }
  if (addition && /^[0-9]+$/.test(addition)) addition = addition.replace(/^0+(?=[0-9])/, '');
  if (letter) normalised.houseLetter = letter;
  if (addition) normalised.houseNumberAddition = addition;
  return normalised;
}

/** The 4-digit postcode area ("3511" of "3511AB") that district maps are keyed on. */
export function postcodeArea(address: NormalisedAddress): number {
  return Number(address.postcode.slice(0, 4));
}

export function householdRef(address: NormalisedAddress, secret: string): string {
  if (secret.length < 16) throw new HouseholdKeyError();
  // Fields are separated by a character that cannot occur in them, so no two addresses share input.
  const material = `${address.postcode}|${address.houseNumber}|${address.houseLetter ?? ''}|${address.houseNumberAddition ?? ''}`;
  return hmacSha256Hex(hmacPads(secret), material);
}

/**
 * HMAC-SHA-256 as RFC 2104 defines it, H((K ^ opad) | H((K ^ ipad) | message)), on one-shot
 * hashes. Node 20 has no one-shot HMAC, and createHmac sets up a MAC context on every call
 * that costs more than both hashes together; this runs for every entry. The unit tests hold
 * it to createHmac.
 */
function hmacSha256Hex(pads: HmacPads, message: string): string {
  const innerDigest = hash('sha256', Buffer.concat([pads.inner, Buffer.from(message, 'utf8')]), 'hex');
  pads.outer.write(innerDigest, SHA256_BLOCK_BYTES, 'hex');
  return hash('sha256', pads.outer, 'hex');
}

const SHA256_BLOCK_BYTES = 64;
const SHA256_DIGEST_BYTES = 32;

interface HmacPads {
  secret: string;
  /** K ^ ipad. */
  inner: Buffer;
  /** K ^ opad, followed by room for the inner digest (rewritten on every call). */
  outer: Buffer;
}

/** The pads of the last secret, kept for the next call: a deployment has one secret. */
let lastPads: HmacPads | undefined;

function hmacPads(secret: string): HmacPads {
  if (lastPads?.secret === secret) return lastPads;
  let key = Buffer.from(secret, 'utf8');
  if (key.length > SHA256_BLOCK_BYTES) key = createHash('sha256').update(key).digest();
  const inner = Buffer.alloc(SHA256_BLOCK_BYTES, 0x36);
  const outer = Buffer.alloc(SHA256_BLOCK_BYTES + SHA256_DIGEST_BYTES, 0x5c);
  for (let i = 0; i < key.length; i++) {
    inner[i]! ^= key[i]!;
    outer[i]! ^= key[i]!;
  }
  lastPads = { secret, inner, outer };
  return lastPads;
}

export class HouseholdKeyError extends Error {
  readonly code = 'HOUSEHOLD_KEY_SECRET_TOO_SHORT';
  constructor() {
    super('the household key secret must be at least 16 characters');
    this.name = 'HouseholdKeyError';
  }
}
