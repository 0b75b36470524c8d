/**
 * A DynamoDB stream record as both main-table consumers read it (the report writer, handlers/stream.ts,
 * and the event stage, handlers/event-stage.ts): unmarshalled images, epoch-millisecond time, and
 * whether DynamoDB's TTL made it. One reading, so both derive from the very same change.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamChange } from '../reports/events';

const isTtlDelete = (record: DynamoDBRecord): boolean => {
  const identity = record.userIdentity as { type?: string; principalId?: string } | undefined;
  return identity?.type === 'Service' && identity?.principalId === 'dynamodb.amazonaws.com';
};

/** Lambda delivers epoch seconds; a poller may hand over milliseconds or a Date. */
const epochMillis = (value: unknown): number | undefined => {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return value < 1e11 ? value * 1000 : value;
};

const image = (value: unknown): Record<string, unknown> | undefined =>
  value ? unmarshall(value as Record<string, AttributeValue>) : undefined;

export const toStreamChange = (record: DynamoDBRecord): StreamChange => ({
  eventId: String(record.eventID),
  eventName: record.eventName as StreamChange['eventName'],
  sequenceNumber: String(record.dynamodb?.SequenceNumber),
  approximateCreationTime: epochMillis(record.dynamodb?.ApproximateCreationDateTime),
  oldImage: image(record.dynamodb?.OldImage),
  newImage: image(record.dynamodb?.NewImage),
  byTtl: isTtlDelete(record),
});
