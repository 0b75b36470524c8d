/**
 * store/event-bus: PutEvents with the entries the events core packs. Entries EventBridge refuses
 * inside an accepted request (FailedEntryCount) are sent again, alone; what is still refused after
 * the last attempt throws, so the stage fails the record and the stream retries it. The SDK is
 * faked with aws-sdk-client-mock.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { createEventBus, EventBusPutError, type EventBusEntry } from '../../../lambdas/store/event-bus';

const eventBridge = mockClient(EventBridgeClient);
const entry = (n: number): EventBusEntry => ({ Source: 'scim-gateway', DetailType: 'user.updated', Detail: JSON.stringify({ id: `evt_${n}` }), EventBusName: 'directory', Time: new Date(0) });
const sentEntries = () => eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries?.map((e) => JSON.parse(e.Detail!).id));

describe('store/event-bus', () => {
  afterEach(() => eventBridge.reset());

  it('puts a batch in one PutEvents call when every entry is accepted', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'a' }, { EventId: 'b' }] });
    await createEventBus(new EventBridgeClient({}), { backoffMs: 0 }).put([entry(1), entry(2)]);
    expect(sentEntries()).toEqual([['evt_1', 'evt_2']]);
    expect(eventBridge.commandCalls(PutEventsCommand)[0].args[0].input.Entries?.[0]).toEqual(expect.objectContaining({ Source: 'scim-gateway', DetailType: 'user.updated', EventBusName: 'directory' }));
  });

  it('sends again only the entries EventBridge refused', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }, { EventId: 'c' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }] });
    await createEventBus(new EventBridgeClient({}), { backoffMs: 0 }).put([entry(1), entry(2), entry(3)]);
    expect(sentEntries()).toEqual([['evt_1', 'evt_2', 'evt_3'], ['evt_2']]);
  });

  it('throws, naming the error codes, when entries are still refused after the last attempt', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    const put = createEventBus(new EventBridgeClient({}), { attempts: 3, backoffMs: 0 }).put([entry(1)]);
    await expect(put).rejects.toBeInstanceOf(EventBusPutError);
    await expect(put).rejects.toMatchObject({ failures: [{ detailType: 'user.updated', errorCode: 'InternalFailure' }] });
    expect(sentEntries()).toHaveLength(3);
  });

  it('lets a failed request (the whole call) reach the caller', async () => {
    eventBridge.on(PutEventsCommand).rejects(new Error('AccessDeniedException'));
    await expect(createEventBus(new EventBridgeClient({}), { backoffMs: 0 }).put([entry(1)])).rejects.toThrow('AccessDeniedException');
  });
});
