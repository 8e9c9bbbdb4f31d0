/**
 * What became of the rows of a file: for each row's derived signalId, the claim the pipeline
 * keeps on (partner, signalId), read with GetItem under the key the adapters use. The claim
 * holds the first outcome, its reason, and later outcomes (withdrawn, picked-up, closed).
 * A partner's role can be limited to its own claims: every key starts `SIG#<partnerId>#`.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { itemKeys } from '@vroegsignaal/adapters';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import type { PreparedFile } from './prepare.ts';

/** The local stack's table (LOCAL_TABLE_NAME in @vroegsignaal/stand-ins). */
export const LOCAL_TABLE_NAME = 'vroegsignaal-households';

export const NOT_RECEIVED = 'not received (rejected entries are not kept; see the outcome events)';

export interface RowOutcome {
  line: number;
  signalId: string | null;
  /** received: the pipeline holds a claim; the rest explain why it does not. */
  status: 'received' | 'not-received' | 'rejected-here' | 'same-as-earlier-row';
  outcome?: string;
  reason?: string;
  laterOutcomes?: { outcome: string; at: string }[];
  /** For rejected-here: why this tool would not send the row. For same-as-earlier-row: that line. */
  note?: string;
}

type GetClient = Pick<DynamoDBDocumentClient, 'send'>;

export async function readOutcomes(db: GetClient, tableName: string, file: PreparedFile, concurrency = 8): Promise<RowOutcome[]> {
  const outcomes: RowOutcome[] = [
    ...file.rejected.map((r): RowOutcome => ({ line: r.line, signalId: null, status: 'rejected-here', note: r.reason })),
    ...file.repeated.map((r): RowOutcome => ({ line: r.line, signalId: r.signalId, status: 'same-as-earlier-row', note: `line ${r.sameAs}` })),
  ];
  const rows = [...file.rows];
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: itemKeys.signalClaim(file.partnerId, row.signalId), ConsistentRead: true }));
      // A claim that holds only a withdrawal waiting for its signal: the signal itself never came.
      if (!Item || Item.outcome === undefined || Item.outcome === null) {
        outcomes.push({ line: row.line, signalId: row.signalId, status: 'not-received', note: NOT_RECEIVED });
        continue;
      }
      const later = Array.isArray(Item.laterOutcomes) ? (Item.laterOutcomes as { outcome: string; atMs: number }[]) : [];
      outcomes.push({
        line: row.line,
        signalId: row.signalId,
        status: 'received',
        outcome: String(Item.outcome),
        ...(typeof Item.reason === 'string' ? { reason: Item.reason } : {}),
        laterOutcomes: later.map((l) => ({ outcome: l.outcome, at: formatAmsterdamIso(new Date(l.atMs)) })),
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, rows.length)) }, worker));
  return outcomes.sort((a, b) => a.line - b.line);
}
