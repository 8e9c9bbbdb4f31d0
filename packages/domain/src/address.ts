/**
 * The household is the dwelling: postcode + house number + letter + addition, normalised.
 * Its pseudonymous reference is an HMAC-SHA-256 of that normalised address under a secret of
 * the deployment, so the address itself is never a key, a log field or a metric dimension.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

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
  return postcode.replace(' ', '').toUpperCase();
}

export function normaliseAddress(address: ContractAddress): NormalisedAddress {
  const normalised: NormalisedAddress = { postcode: normalisePostcode(address.postcode), houseNumber: address.houseNumber };
  if (address.houseLetter) normalised.houseLetter = address.houseLetter.toUpperCase();
  if (address.houseNumberAddition) normalised.houseNumberAddition = address.houseNumberAddition.toUpperCase();
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
  return createHmac('sha256', hmacKey(secret)).update(material).digest('hex');
}

/** The secret as a key object, kept for the next call: importing a string key is a tenth of an HMAC's cost. */
let lastKey: { secret: string; key: KeyObject } | undefined;

function hmacKey(secret: string): KeyObject {
  if (lastKey?.secret !== secret) lastKey = { secret, key: createSecretKey(secret, 'utf8') };
  return lastKey.key;
}

export class HouseholdKeyError extends Error {
  readonly code = 'HOUSEHOLD_KEY_SECRET_TOO_SHORT';
  constructor() {
    super('the household key secret must be at least 16 characters');
    this.name = 'HouseholdKeyError';
  }
}
