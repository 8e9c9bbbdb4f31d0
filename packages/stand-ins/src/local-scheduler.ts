/**
 * A stand-in for EventBridge Scheduler, speaking its REST protocol for CreateSchedule, so the
 * same adapter runs locally as on AWS. Only one-time `at(...)` schedules with an EventBridge
 * target are supported (all the pipeline creates). Time is the pipeline's clock, not the wall
 * clock: `fireDue(nowMs)` runs what is due, the way a replay or a test moves time.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';

interface Schedule {
  name: string;
  atMs: number;
  target: { Arn: string; Input?: string; EventBridgeParameters?: { Source: string; DetailType: string } };
}

export interface LocalScheduler {
  readonly endpoint: string;
  /** Puts the events of every schedule due at `nowMs` on their bus, then deletes those schedules. */
  fireDue(nowMs: number): Promise<number>;
  /** When the earliest schedule not yet run is due, or undefined when none is waiting. */
  nextDueMs(): number | undefined;
  stop(): Promise<void>;
}

const SCHEDULE_PATH = /^\/schedules\/([A-Za-z0-9._-]{1,64})(\?.*)?$/;
const AT_EXPRESSION = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;

export async function startLocalScheduler(eventBridge: EventBridgeClient): Promise<LocalScheduler> {
  const schedules = new Map<string, Schedule>();
  const reply = (res: ServerResponse, status: number, body: object, errorType?: string) => {
    res.writeHead(status, { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const name = SCHEDULE_PATH.exec(req.url ?? '')?.[1];
      if (req.method !== 'POST' || !name) return reply(res, 404, { Message: 'only CreateSchedule is supported locally' }, 'ResourceNotFoundException');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { ScheduleExpression?: string; ScheduleExpressionTimezone?: string; Target?: Schedule['target'] };
      const at = AT_EXPRESSION.exec(body.ScheduleExpression ?? '')?.[1];
      if (!at || (body.ScheduleExpressionTimezone ?? 'UTC') !== 'UTC' || !body.Target?.Arn) {
        return reply(res, 400, { Message: 'expected a one-time at(...) schedule in UTC with a target' }, 'ValidationException');
      }
      if (schedules.has(name)) return reply(res, 409, { Message: `schedule ${name} already exists` }, 'ConflictException');
      schedules.set(name, { name, atMs: Date.parse(`${at}Z`), target: body.Target });
      return reply(res, 200, { ScheduleArn: `arn:aws:scheduler:local:000000000000:schedule/default/${name}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async fireDue(nowMs) {
      const due = [...schedules.values()].filter((s) => s.atMs <= nowMs).sort((a, b) => a.atMs - b.atMs);
      for (const schedule of due) {
        const { Arn, Input, EventBridgeParameters } = schedule.target;
        await eventBridge.send(
          new PutEventsCommand({ Entries: [{ EventBusName: Arn, Source: EventBridgeParameters?.Source, DetailType: EventBridgeParameters?.DetailType, Detail: Input ?? '{}' }] }),
        );
        schedules.delete(schedule.name);
      }
      return due.length;
    },
    nextDueMs() {
      let next: number | undefined;
      for (const schedule of schedules.values()) if (next === undefined || schedule.atMs < next) next = schedule.atMs;
      return next;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
