/**
 * JSON Schema for partners and teams who do not use TypeScript, generated from the zod
 * schemas so that the two never drift apart. `npm run schemas` writes them to
 * `events/schemas/`; a test fails when the committed files are stale.
 */
import * as z from 'zod';
import { teamReportSchemas } from './team-reports.ts';
import { partnerDetailSchemas } from './partner-signals.ts';
import { signalOutcomeSchema } from './outcomes.ts';
import { teamMessageSchema } from './team-messages.ts';
import { ddasUitwisselmodelSchema } from './ddas.ts';
import type { PartnerDetailType, TeamDetailType } from './names.ts';

export const JSON_SCHEMA_BASE_URI = 'https://vroegsignaal.example/schemas/v1/';

interface PublishedSchema {
  readonly schema: z.ZodType;
  readonly title: string;
  readonly description: string;
}

const CONTRACT = 'Signal contract v1 with its additive v1.1 (docs/contract.md)';

/** A partner detail type's document; `gloss` is the Dutch name the handbook uses. */
function partnerDetail(type: PartnerDetailType, gloss?: string): PublishedSchema {
  return {
    schema: partnerDetailSchemas[type],
    title: `${type} detail`,
    description: `${CONTRACT}: the Detail of a partner entry with DetailType ${type}${gloss ? ` (${gloss})` : ''}.`,
  };
}

function teamDetail(type: TeamDetailType): PublishedSchema {
  return {
    schema: teamReportSchemas[type],
    title: `${type} detail`,
    description: `${CONTRACT}: the Detail of a team entry with DetailType ${type}.`,
  };
}

/** Every type a partner or team builds against, by the name its file gets. */
export const PUBLISHED_SCHEMAS = {
  RentArrearsReported: partnerDetail('RentArrearsReported', 'huurachterstand'),
  NuisanceReported: partnerDetail('NuisanceReported', 'woonoverlast'),
  EvictionProceedingUpdated: partnerDetail('EvictionProceedingUpdated', 'ontruimingsprocedure'),
  CareSignalReported: partnerDetail('CareSignalReported', 'zorgsignaal'),
  SignalWithdrawn: partnerDetail('SignalWithdrawn'),
  AlertPickedUp: teamDetail('AlertPickedUp'),
  CaseClosed: teamDetail('CaseClosed'),
  ContactAttemptLogged: teamDetail('ContactAttemptLogged'),
  AlertNotTaken: teamDetail('AlertNotTaken'),
  AlertForwarded: teamDetail('AlertForwarded'),
  TeamMessage: {
    schema: teamMessageSchema,
    title: 'Team message',
    description: `${CONTRACT}: the body of an SQS message on a team's queue (kind alert, update or reminder).`,
  },
  SignalOutcome: {
    schema: signalOutcomeSchema,
    title: 'SignalOutcome detail',
    description: `${CONTRACT}: the Detail of a SignalOutcome event (source vroegsignaal) telling a partner what became of an entry.`,
  },
  DdasUitwisselmodel: {
    schema: ddasUitwisselmodelSchema,
    title: 'DDAS Uitwisselmodel v1.2',
    description: "The VNG DDAS exchange model for early signalling, version 1.2, as the municipality's export (npm run ddas) writes it: one document for a period, a levering per municipality with its vroegsignalen and vroegsignaalzaken.",
  },
} as const satisfies Record<PartnerDetailType | TeamDetailType | 'TeamMessage' | 'SignalOutcome' | 'DdasUitwisselmodel', PublishedSchema>;

export type PublishedSchemaName = keyof typeof PUBLISHED_SCHEMAS;

/** The JSON Schema document for one published type. */
export function jsonSchemaFor(name: PublishedSchemaName): Record<string, unknown> {
  const { schema, title, description } = PUBLISHED_SCHEMAS[name];
  // io 'input': the schema describes what a producer sends (no transforms here, so the same).
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  const { $schema, description: _generatedDescription, ...rest } = generated;
  return { $schema, $id: `${JSON_SCHEMA_BASE_URI}${name}.json`, title, description, ...rest };
}

/** File name -> content, pretty JSON (2 spaces) with a trailing newline, in a stable order. */
export function renderJsonSchemas(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of Object.keys(PUBLISHED_SCHEMAS) as PublishedSchemaName[]) {
    files[`${name}.json`] = `${JSON.stringify(jsonSchemaFor(name), null, 2)}\n`;
  }
  return files;
}
