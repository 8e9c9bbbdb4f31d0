/**
 * Contract v1.1 (after the alert) is additive: every v1 entry and message stays valid, under
 * the zod schemas and under the published JSON Schemas alike. The v1 JSON Schemas and samples
 * are kept in test/fixtures/contract-v1 as they were published.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import {
  CASE_RESULT_DETAILS,
  CASE_RESULTS,
  parseTeamReport,
  renderJsonSchemas,
  SIGNAL_OUTCOMES,
  teamMessageSchema,
  type CaseResult,
} from '@vroegsignaal/events';

const V1 = 'test/fixtures/contract-v1';
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
/** The objects of an NDJSON file; the sample feed's deliberately broken lines are left out. */
const ndjson = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        const value: unknown = JSON.parse(line);
        return typeof value === 'object' && value !== null ? [value as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });

const v1Schemas = Object.fromEntries(readdirSync(join(V1, 'schemas')).map((file) => [file, readJson(join(V1, 'schemas', file))]));
const v11Schemas = Object.fromEntries(Object.entries(renderJsonSchemas()).map(([file, text]) => [file, JSON.parse(text) as Record<string, unknown>]));

function validatorOf(file: string) {
  const ajv = new Ajv2020({ allErrors: true, strict: false, multipleOfPrecision: 6 });
  addFormats.default(ajv);
  return ajv.compile(v11Schemas[file]!);
}

/** v1 reports as a v1 team sends them, and a v1 reminder as a v1 team received it. */
const V1_REPORTS = [
  { type: 'AlertPickedUp', detail: { schemaVersion: 1, alertId: 'al_1', at: '2026-11-15T09:00:00+01:00' } },
  ...CASE_RESULTS.map((result) => ({ type: 'CaseClosed', detail: { schemaVersion: 1, alertId: 'al_1', at: '2026-11-16T09:00:00+01:00', result } })),
];
const V1_REMINDER = {
  kind: 'reminder',
  alertId: 'al_1',
  householdRef: 'a'.repeat(64),
  municipalityCode: 'GM0344',
  team: 'utrecht-voorkom-huisuitzetting',
  level: 'eviction-threat',
  reasons: [{ code: 'verdict-lapses', text: 'the eviction verdict of 2026-01-10 can be executed until 2027-01-10' }],
  createdAt: '2026-11-10T09:00:00+01:00',
  respondBy: '2026-11-24T09:00:00+01:00',
  dueAt: '2027-01-10T00:00:00+01:00',
};

/** Every object schema in a JSON Schema document, with its path: where properties and required live. */
function objectSchemas(node: unknown, path = '#'): [string, { properties?: Record<string, unknown>; required?: string[] }][] {
  if (typeof node !== 'object' || node === null) return [];
  const own = 'properties' in node ? [[path, node] as [string, { properties?: Record<string, unknown>; required?: string[] }]] : [];
  return [...own, ...Object.entries(node).flatMap(([key, child]) => objectSchemas(child, `${path}/${key}`))];
}

describe('contract v1.1 keeps every v1 entry and message valid', () => {
  it('publishes every v1 schema file still, each only gaining properties and never a required one', () => {
    for (const [file, v1] of Object.entries(v1Schemas)) {
      const v11 = v11Schemas[file];
      expect(v11, `${file} is no longer published`).toBeDefined();
      const v11Objects = new Map(objectSchemas(v11));
      for (const [path, object] of objectSchemas(v1)) {
        const grown = v11Objects.get(path);
        expect(grown, `${file} ${path} is gone`).toBeDefined();
        expect(Object.keys(grown!.properties ?? {}), `${file} ${path} lost a property`).toEqual(expect.arrayContaining(Object.keys(object.properties ?? {})));
        const newRequired = (grown!.required ?? []).filter((name) => !(object.required ?? []).includes(name));
        expect(newRequired, `${file} ${path} requires something v1 did not`).toEqual([]);
      }
    }
  });

  it('validates every line of the v1 sample feed against its published schema, and every v1 team message of its replay', () => {
    const entries = ndjson(join(V1, 'feed.ndjson'));
    const messages = ndjson(join(V1, 'team-messages.ndjson'));
    expect(entries.length).toBeGreaterThan(100);
    expect(messages.length).toBeGreaterThan(100);
    const byType = new Map<string, ReturnType<typeof validatorOf>>();
    let checked = 0;
    for (const entry of entries) {
      const type = String(entry.DetailType);
      if (!(`${type}.json` in v11Schemas)) continue; // the feed's deliberately broken lines
      const validate = byType.get(type) ?? validatorOf(`${type}.json`);
      byType.set(type, validate);
      const detail = typeof entry.Detail === 'string' ? JSON.parse(entry.Detail) : entry.Detail;
      // A line the replay rejects for a rule beyond the schema (a date, the registry) is not a schema failure.
      if (validate(detail)) checked++;
    }
    expect(checked).toBeGreaterThan(100);
    const validateMessage = validatorOf('TeamMessage.json');
    for (const message of [...messages, V1_REMINDER]) {
      expect(validateMessage(message), JSON.stringify(validateMessage.errors)).toBe(true);
      expect(teamMessageSchema.safeParse(message).success).toBe(true);
    }
  });

  it('takes v1 team reports unchanged', () => {
    for (const { type, detail } of V1_REPORTS) {
      expect(parseTeamReport(type, detail)).toMatchObject({ ok: true });
      expect(validatorOf(`${type}.json`)(detail)).toBe(true);
    }
  });
});

describe('contract v1.1 reports', () => {
  const at = '2026-11-15T10:30:00+01:00';

  it('takes a contact attempt, a not-taken and a forward with an optional pseudonymous by', () => {
    expect(parseTeamReport('ContactAttemptLogged', { schemaVersion: 1, alertId: 'al_1', at, channel: 'home-visit', reached: false, by: 'm.jansen-07' })).toMatchObject({ ok: true });
    expect(parseTeamReport('ContactAttemptLogged', { schemaVersion: 1, alertId: 'al_1', at, channel: 'phone', reached: true, partOfDay: 'evening' })).toMatchObject({ ok: true });
    expect(parseTeamReport('AlertNotTaken', { schemaVersion: 1, alertId: 'al_1', at, reason: 'already-in-debt-help' })).toMatchObject({ ok: true });
    expect(parseTeamReport('AlertForwarded', { schemaVersion: 1, alertId: 'al_1', at, toTeam: 'utrecht-buurtteam-oost' })).toMatchObject({ ok: true });
  });

  it('refuses a by that is a name or an e-mail address, without repeating it', () => {
    for (const by of ['Marja Jansen', 'm.jansen@gemeente.nl', '', 'x'.repeat(65)]) {
      const parsed = parseTeamReport('AlertPickedUp', { schemaVersion: 1, alertId: 'al_1', at, by });
      expect(parsed.ok, by).toBe(false);
      if (!parsed.ok && by !== '') expect(parsed.reason).not.toContain(by);
    }
  });

  it('takes every detail with its own result and refuses it with any other, naming the ones that fit', () => {
    for (const result of CASE_RESULTS) {
      for (const [other, details] of Object.entries(CASE_RESULT_DETAILS) as [CaseResult, readonly string[]][]) {
        for (const detail of details) {
          const parsed = parseTeamReport('CaseClosed', { schemaVersion: 1, alertId: 'al_1', at, result, detail });
          if (other === result) expect(parsed, `${result}/${detail}`).toMatchObject({ ok: true });
          else expect(parsed, `${result}/${detail}`).toEqual({ ok: false, reason: expect.stringContaining(`detail: does not refine result "${result}", expected one of ${CASE_RESULT_DETAILS[result].join(', ')}`) });
        }
      }
    }
  });

  it('refuses an unknown channel, an attempt without reached, and a not-taken reason that is free text', () => {
    expect(parseTeamReport('ContactAttemptLogged', { schemaVersion: 1, alertId: 'al_1', at, channel: 'pigeon', reached: true }).ok).toBe(false);
    expect(parseTeamReport('ContactAttemptLogged', { schemaVersion: 1, alertId: 'al_1', at, channel: 'phone' }).ok).toBe(false);
    expect(parseTeamReport('AlertNotTaken', { schemaVersion: 1, alertId: 'al_1', at, reason: 'family moved to Zwolle' }).ok).toBe(false);
    expect(parseTeamReport('AlertForwarded', { schemaVersion: 1, alertId: 'al_1', at, toTeam: 'Buurtteam Oost' }).ok).toBe(false);
  });

  it('adds not-taken as a later outcome for partners, after the v1 ones', () => {
    expect(SIGNAL_OUTCOMES.slice(6)).toEqual(['picked-up', 'closed', 'not-taken']);
  });

  it('sends an escalation reminder without a household reference, naming the team that holds the alert', () => {
    const escalated = { ...V1_REMINDER, reason: 'overdue-escalated', team: 'maastricht-procesmanagement', alertTeam: 'maastricht-vangnet-oggz', municipalityCode: 'GM0935', alertCreatedAt: '2026-11-01T09:00:00+01:00' };
    const { householdRef: _ref, ...withoutRef } = escalated;
    expect(teamMessageSchema.safeParse(withoutRef).success).toBe(true);
    expect(validatorOf('TeamMessage.json')(withoutRef)).toBe(true);
    expect(teamMessageSchema.safeParse(escalated).success).toBe(false);
    expect(teamMessageSchema.safeParse({ ...V1_REMINDER, reason: 'overdue', alertTeam: 'utrecht-schuldhulp' }).success).toBe(false);
    const { householdRef: _r, ...v1WithoutRef } = V1_REMINDER;
    expect(teamMessageSchema.safeParse(v1WithoutRef).success).toBe(false);
  });
});
