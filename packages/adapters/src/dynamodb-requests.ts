/** The request shapes every DynamoDB adapter shares: conditional writes, and queries read to their last page. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, paginateQuery, type QueryCommandInput, type UpdateCommand } from '@aws-sdk/lib-dynamodb';

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/** Awaits a conditional write: true when it was made, false when its condition did not hold. */
export async function conditionalWrite(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Sends a conditional update: its returned attributes when it was made, undefined when its condition did not hold. */
export async function conditionalUpdate(db: DynamoDBDocumentClient, command: UpdateCommand): Promise<Record<string, unknown> | undefined> {
  try {
    return (await db.send(command)).Attributes ?? {};
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Every item a query matches, page after page (one Query request each), in the query's order. */
export async function queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery({ client: db }, input)) items.push(...(page.Items ?? []));
  return items;
}
