import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  JSON_SCHEMA_BASE_URI,
  PARTNER_DETAIL_TYPES,
  SIGNAL_ID_PATTERN,
  TEAM_DETAIL_TYPES,
  renderJsonSchemas,
} from '@vroegsignaal/events';

const schemasDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'events', 'schemas');

function committedFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(schemasDir).filter((f) => f.endsWith('.json')).sort()) {
    files[name] = readFileSync(join(schemasDir, name), 'utf8');
  }
  return files;
}

describe('generated JSON Schema', () => {
  it('matches the committed files in events/schemas (run `npm run schemas` after changing a zod schema)', () => {
    // Prepare
    const rendered = renderJsonSchemas();

    // Act
    const committed = committedFiles();

    // Assess
    expect(Object.keys(committed), 'the set of files is stale: run `npm run schemas`').toEqual(Object.keys(rendered).sort());
    for (const [name, content] of Object.entries(rendered)) {
      expect(committed[name], `events/schemas/${name} is stale: run \`npm run schemas\``).toBe(content);
    }
  });

  it('publishes a schema for every partner and team detail type, the team message and the outcome', () => {
    // Act
    const names = Object.keys(renderJsonSchemas());

    // Assess
    for (const type of [...PARTNER_DETAIL_TYPES, ...TEAM_DETAIL_TYPES, 'TeamMessage', 'SignalOutcome']) {
      expect(names).toContain(`${type}.json`);
    }
  });

  it('gives every schema its own $id, a title, and rejects fields the contract does not name', () => {
    // Act
    const documents = Object.entries(renderJsonSchemas()).map(
      ([name, content]) => [name, JSON.parse(content) as Record<string, unknown>] as const,
    );

    // Assess
    for (const [name, document] of documents) {
      expect(document.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(document.$id).toBe(`${JSON_SCHEMA_BASE_URI}${name}`);
      expect(typeof document.title).toBe('string');
      expect(typeof document.description).toBe('string');
      if (name !== 'TeamMessage.json') expect(document.additionalProperties).toBe(false);
    }
  });

  it('carries the rules zod checks in code: scheduledFor when scheduled, and care domains as a set', () => {
    // Act
    const eviction = JSON.parse(renderJsonSchemas()['EvictionProceedingUpdated.json']!) as {
      properties: { proceeding: { if: unknown; then: unknown } };
    };
    const care = JSON.parse(renderJsonSchemas()['CareSignalReported.json']!) as {
      properties: { care: { properties: { domains: { uniqueItems: boolean; minItems: number } } } };
    };

    // Assess
    expect(eviction.properties.proceeding.if).toEqual({ properties: { stage: { const: 'scheduled' } }, required: ['stage'] });
    expect(eviction.properties.proceeding.then).toEqual({ required: ['scheduledFor'] });
    expect(care.properties.care.properties.domains).toMatchObject({ uniqueItems: true, minItems: 1 });
  });

  it('carries the bounds of intake v1.1 as numbers and patterns, and the relative dates in the descriptions', () => {
    // Prepare
    type Node = { properties: Record<string, Node>; description?: string; required?: string[] } & Record<string, unknown>;
    const documentOf = (name: string) => JSON.parse(renderJsonSchemas()[name]!) as Node;
    const arrears = documentOf('RentArrearsReported.json');
    const nuisance = documentOf('NuisanceReported.json');
    const eviction = documentOf('EvictionProceedingUpdated.json');
    const withdrawn = documentOf('SignalWithdrawn.json');
    const signalId = { type: 'string', minLength: 1, maxLength: 128, pattern: SIGNAL_ID_PATTERN.source };

    // Assess
    for (const document of [arrears, nuisance, eviction, documentOf('CareSignalReported.json'), withdrawn]) {
      expect(document.properties.signalId).toMatchObject(signalId);
      expect(document.properties.household!.properties.minors).toMatchObject({ type: 'integer', minimum: 0, maximum: 30 });
      expect(document.properties.household!.properties.adults).toMatchObject({ type: 'integer', minimum: 1, maximum: 30 });
    }
    expect(withdrawn.properties.withdrawal!.properties.signalId).toMatchObject(signalId);
    const amounts = arrears.properties.arrears!.properties;
    expect(amounts.amountCents).toMatchObject({ type: 'integer', minimum: 1, maximum: 100_000_000 });
    expect(amounts.monthsInArrears).toMatchObject({ type: 'number', exclusiveMinimum: 0, maximum: 120, multipleOf: 0.01 });
    expect(amounts.monthlyRentCents).toMatchObject({ type: 'integer', minimum: 1, maximum: 1_000_000 });
    expect(amounts.reminderSentAt!.description).toContain('not after the date of observedAt');
    expect(nuisance.properties.nuisance!.properties.reportCount).toMatchObject({ type: 'integer', minimum: 1, maximum: 10_000 });
    const stage = eviction.properties.proceeding!.properties;
    expect(stage.stageDate!.description).toContain('not after the date of observedAt (in Europe/Amsterdam), and not more than 2 years before it');
    expect(stage.scheduledFor!.description).toContain('Not before stageDate, and not more than 1 year after it');
  });

  it('describes contacts per partner in alerts and updates, optional so that v1 messages stay valid', () => {
    // Prepare
    type Node = Record<string, unknown> & { properties?: Record<string, Node>; required?: string[] };
    const document = JSON.parse(renderJsonSchemas()['TeamMessage.json']!) as Node & { oneOf?: Node[]; anyOf?: Node[] };
    const kinds = (document.oneOf ?? document.anyOf)!;
    const byKind = new Map(kinds.map((k) => [(k.properties!.kind as { const: string }).const, k]));

    // Assess
    for (const kind of ['alert', 'update']) {
      const message = byKind.get(kind)!;
      const contacts = message.properties!.contacts as Node & { items: Node; description: string };
      expect(message.required).not.toContain('contacts');
      expect(contacts.type).toBe('array');
      expect(contacts.description).toContain('one entry per partner');
      expect(contacts.description).toContain('newest observedAt first');
      expect(Object.keys(contacts.items.properties!)).toEqual(['partnerId', 'observedAt', 'name', 'phone', 'email']);
      expect(contacts.items.required).toEqual(['partnerId', 'observedAt']);
      expect(contacts.items.additionalProperties).toBe(false);
      expect(message.properties!.contact).toBeDefined();
    }
    expect(byKind.get('reminder')!.properties!.contacts).toBeUndefined();
  });
});
