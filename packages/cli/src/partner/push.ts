/**
 * `vroegsignaal-partner push` as a library function: prepare the file, then (unless a dry run)
 * send the valid rows to the signals bus. The CLI and the integration test both call this.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { BUSES } from '@vroegsignaal/events';
import { resolveConnection, type ConnectionOptions } from '../aws.ts';
import { sendEntries, type PutEventsClient, type SendOptions, type SendResult } from '../put-events.ts';
import { prepareCsv, type PreparedFile, type PrepareOptions } from './prepare.ts';

export interface PushOptions extends PrepareOptions {
  dryRun?: boolean;
  /** Event bus name or ARN; default `signals`. */
  busName?: string;
  connection?: ConnectionOptions;
  env?: NodeJS.ProcessEnv;
  /** A client to use instead of one built from `connection` (tests). */
  client?: PutEventsClient;
  send?: Omit<SendOptions, 'busName' | 'target'>;
}

export interface PushedRow {
  line: number;
  signalId: string;
  eventId?: string;
  errorCode?: string;
  attempts: number;
}

export interface PushResult {
  file: PreparedFile;
  dryRun: boolean;
  busName: string;
  /** What was talked to, for messages. */
  target?: string;
  send?: SendResult;
  pushed: PushedRow[];
}

export async function pushCsv(input: string | Uint8Array, options: PushOptions): Promise<PushResult> {
  const file = prepareCsv(input, options);
  const busName = options.busName ?? BUSES.signals;
  if (options.dryRun || file.rows.length === 0) return { file, dryRun: options.dryRun === true, busName, pushed: [] };

  // Locally, the bus takes the sender's account from the access key id; a partner registered
  // with an account must send "from" it, as it would from its own AWS account.
  const account = options.connection?.account ?? options.policy?.partner(file.partnerId)?.accountId;
  const connection = resolveConnection('eventbridge', { ...options.connection, ...(account ? { account } : {}) }, options.env);
  const client = options.client ?? new EventBridgeClient(connection.config);
  try {
    const send = await sendEntries(client, file.rows.map((row) => row.entry), { ...options.send, busName, target: connection.target });
    const pushed = file.rows.map((row, index): PushedRow => {
      const result = send.results[index]!;
      return {
        line: row.line,
        signalId: row.signalId,
        attempts: result.attempts,
        ...(result.eventId ? { eventId: result.eventId } : {}),
        ...(result.errorCode && !result.eventId ? { errorCode: result.errorCode } : {}),
      };
    });
    return { file, dryRun: false, busName, target: connection.target, send, pushed };
  } finally {
    if (!options.client) (client as EventBridgeClient).destroy();
  }
}
